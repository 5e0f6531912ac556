// linux-x64 lane: the packaging test. The tarballs go into a fresh project outside the workspace;
// the README's integration example runs with plain `node` and a PATH that holds no C compiler;
// then the conformance checks run in both modes.
import { copyFileSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExamples } from '../../packages/sdk-c/scripts/build-examples.mjs';
import {
  CACHE,
  consumerProject,
  countChecks,
  readmeExample,
  registryReachable,
  runLogged,
  scratchDir,
} from './lib.mjs';

const EXAMPLES = ['config-caller', 'echo', 'streamer', 'ui-demo'];

export async function linuxX64Lane(tally) {
  if (!registryReachable()) {
    tally.skip('the npm registry is not reachable (npm ping failed): nothing to install the tarballs with');
    return;
  }
  let dir;
  try {
    dir = consumerProject('linux-x64', 'linux', 'x64');
  } catch (e) {
    tally.check('npm install of the packed tarballs', false, e.message);
    return;
  }
  try {
    await buildExamples({ outDir: join(dir, 'plugins'), examples: EXAMPLES });
    writeFileSync(join(dir, 'example.mjs'), readmeExample());
    const bin = scratchDir('pi-lane-bin-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const cache = join(dir, 'native-cache');
    const env = { PATH: bin, HOME: dir, PI_HOST_NATIVE_CACHE: cache, CC: 'no-compiler-here' };
    const r = runLogged(join(bin, 'node'), ['example.mjs'], {
      cwd: dir,
      env,
      log: join(CACHE, 'logs', 'linux-x64-readme.log'),
    });
    tally.check(
      'README integration example, plain node, no compiler on PATH',
      r.output.includes('{"reply":"Echo: hi"}'),
      r.output.trim().slice(-300),
    );
    tally.check('the prebuilt runtime was loaded (nothing compiled into the cache)', !existsSync(cache));
    copyFileSync(new URL('./conformance-checks.mjs', import.meta.url), join(dir, 'conformance-checks.mjs'));
    const results = join(dir, 'results.txt');
    runLogged(join(bin, 'node'), ['conformance-checks.mjs', 'plugins', results], {
      cwd: dir,
      env,
      log: join(CACHE, 'logs', 'linux-x64-conformance.log'),
    });
    countChecks(tally, results);
    rmSync(bin, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
