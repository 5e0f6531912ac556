// The spec's conformance scenarios (packages/spec/conformance) for C plugins, bundled by
// scenarios.mjs into one module that imports the *installed* @plugin-interfaces/host-node and
// spec, and run on the platform's own Node (under wine or qemu) in the given modes:
//   node scenarios.mjs <pluginDir> <scenarioDir> <resultFile> [modes=in-process,isolated] [examples=all]
// Writes "ok <mode> <scenario>" / "FAIL <mode> <scenario>: why" lines and {"passed","failed"}.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createPluginHost, MemoryAppConfig } from '@plugin-interfaces/host-node';
import type { FrontendEvent } from '@plugin-interfaces/spec';
import { loadScenarios, runScenario } from '../../packages/host-node/test/conformance/scenario-runner.js';

const [pluginDir, scenarioDir, resultFile, modesArg = 'in-process,isolated', examplesArg = 'all'] =
  process.argv.slice(2);
const examples = examplesArg === 'all' ? null : new Set(examplesArg.split(','));
if (!pluginDir || !scenarioDir || !resultFile)
  throw new Error('usage: scenarios.mjs <pluginDir> <scenarioDir> <resultFile> [modes]');
const START_MS = Number(process.env.PI_LANE_START_MS ?? 10_000);
writeFileSync(resultFile, '');
const out = (line: string) => appendFileSync(resultFile, `${line}\n`);

const cOnly = loadScenarios(scenarioDir).filter(
  (s) =>
    s.languages.includes('c') &&
    s.plugins.every((p) => (p.lang === undefined || p.lang === 'c') && (examples?.has(p.example) ?? true)),
);
let passed = 0;
let failed = 0;
for (const mode of modesArg.split(',') as Array<'in-process' | 'isolated'>) {
  for (const scenario of cOnly) {
    let error: string | null = null;
    try {
      const host = await createPluginHost({
        pluginDirs: [pluginDir],
        isolation: mode,
        // Under wine or qemu a plugin process takes seconds to start on a busy machine.
        isolatedDriver: { startTimeoutMs: START_MS },
        appConfig: new MemoryAppConfig(scenario.appConfig ?? {}),
        logger: { log: () => undefined },
      });
      const events: FrontendEvent[] = [];
      host.on('*', (e) => {
        events.push(e);
      });
      try {
        await runScenario(scenario, { host, events }, (example) => example);
      } finally {
        await host.close();
      }
    } catch (e) {
      error = String((e as Error)?.message ?? e).replace(/\s+/g, ' ');
    }
    if (error === null) passed++;
    else failed++;
    out(error === null ? `ok ${mode} ${scenario.name}` : `FAIL ${mode} ${scenario.name}: ${error}`);
  }
}
out(JSON.stringify({ passed, failed }));
process.exitCode = failed === 0 ? 0 : 1;
