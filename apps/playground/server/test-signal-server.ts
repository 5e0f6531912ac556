/**
 * Test entry for signals.test.ts: a plugin host in isolated mode over the plugin folder given as
 * the first argument, one connected instance of each plugin, and the playground's signal
 * handling. Prints `ready` once everything runs.
 */
import { openHost } from './open-host.js';
import { shutDownOnSignals } from './shutdown-signals.js';

const pluginDir = process.argv[2];
if (pluginDir === undefined) throw new Error('usage: test-signal-server <plugin folder>');
const host = await openHost({ pluginDirs: [pluginDir], isolated: true, onProgress: (l) => console.log(l) });
host.on('*', (e) => {
  if (e.event === 'plugin-status' || e.event === 'plugin-log') console.log(JSON.stringify(e));
});
for (const plugin of host.plugins()) {
  const { instance_id } = await host.load(plugin.id);
  await host.connect(instance_id);
}
shutDownOnSignals(
  () => host.close(),
  (line) => console.log(line),
);
console.log('ready');
