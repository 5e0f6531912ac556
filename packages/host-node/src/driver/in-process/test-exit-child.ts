// Child process for exit.test.ts: a standalone InProcessDriver with the streamer example — load,
// mount, start a stream, destroy, close — then let the process end by itself.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PiStatus } from '../../pi-status.js';
import type { PluginEvent } from '../types.js';
import { InProcessDriver } from './driver.js';
import { shadowDir } from './shadow.js';

const [library, message = 'stream 1000 1', untilEnd = ''] = process.argv.slice(2);
let chunks = 0;
let ended: () => void = () => undefined;
const streamEnded = new Promise<void>((resolve) => {
  ended = resolve;
});
if (!library) throw new Error('usage: test-exit-child.ts <streamer library> [message]');
const hooks = {
  onEvents: (_id: string, events: readonly PluginEvent[]) => {
    for (const e of events) {
      if (e.kind === 'stream_data') chunks++;
      if (e.kind === 'stream_end') ended();
    }
  },
  getAppConfig: () => ({ status: PiStatus.OK, value: null }),
  callOtherPlugin: () => ({ status: PiStatus.OK, value: null }),
};
const driver = new InProcessDriver();
const lib = await driver.loadLibrary(library, hooks);
const dir = dirname(library);
const inst = await lib.createInstance({
  id: 'streamer',
  name: 'Streamer',
  description: '',
  version: '1.0.0',
  author: null,
  pluginDir: dir,
  libraryPath: library,
  configPath: join(dir, 'config.toml'),
  instanceId: 'streamer-1',
  settingsJson: '{}',
  requireHistory: false,
});
await inst.lifecycle('on_mount');
const reply = await inst.handleMessage(1, message);
if (untilEnd === 'until-end') await streamEnded;
await inst.destroy();
await driver.close();
process.stdout.write(
  `${JSON.stringify({ reply, chunks, shadowDirAfterClose: existsSync(shadowDir()), shadowDir: shadowDir() })}\n`,
);
