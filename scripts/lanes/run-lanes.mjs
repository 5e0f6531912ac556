#!/usr/bin/env node
// The platform lanes of `npm test` (scripts/test-all.sh): pack the published packages once, then
//   linux-x64   packaging test (fresh project, README example without a compiler) + conformance checks
//   win32-x64   the same under wine64 with Windows Node, koffi's win32 package and MinGW DLLs
//   linux-arm64 the same under qemu-aarch64 with arm64 Node and aarch64 plugins
// and print one total per platform. A lane whose tools cannot be installed (no root, no network)
// prints "skipped: <why>" and does not fail the run (the platform was not reachable), unless
// PI_LANES_REQUIRED=1 (a release machine): then a skipped lane fails too. A lane that could run
// fails the run on any failed check.

import { Tally } from './lib.mjs';
import { linuxArm64Lane } from './linux-arm64.mjs';
import { linuxX64Lane } from './linux-x64.mjs';
import { PackToolsMissing, PREBUILDS, packedFiles, packWorkspace } from './pack.mjs';
import { win32X64Lane } from './win32-x64.mjs';

const only = process.argv.slice(2);
const required = process.env.PI_LANES_REQUIRED === '1';
const lanes = [
  ['linux-x64', linuxX64Lane],
  ['win32-x64', win32X64Lane],
  ['linux-arm64', linuxArm64Lane],
].filter(([name]) => only.length === 0 || only.includes(name));

const started = Date.now();
const tallies = [];
const pack = new Tally('package');
let packed = false;
let notPacked = 'the workspace could not be packed';
try {
  // PI_LANES_REUSE_TARBALLS=1 reuses the last packed tarballs (iterating on a lane).
  const files = process.env.PI_LANES_REUSE_TARBALLS === '1' ? packedFiles() : await packWorkspace();
  for (const p of PREBUILDS) pack.check(`host-node tarball lists ${p}`, files.includes(p));
  pack.check(
    'host-node tarball holds no V8 code cache (written next to the child bundle at run time)',
    !files.some((f) => f.endsWith('.v8cache')),
  );
  packed = true;
} catch (e) {
  if (e instanceof PackToolsMissing) {
    notPacked = e.message;
    pack.skip(e.message);
  } else pack.check('build and pack spec, sdk-c, host-node, ui-react', false, e.message);
}
tallies.push(pack);
for (const [name, lane] of lanes) {
  const tally = new Tally(name);
  const t0 = Date.now();
  process.stdout.write(`\n==> lane ${name}\n`);
  if (!packed) tally.skip(notPacked);
  else {
    try {
      await lane(tally);
    } catch (e) {
      tally.check('lane ran to the end', false, e.message);
    }
  }
  if (tally.skipped !== null)
    process.stdout.write(`\x1b[33m!! ${name} lane skipped: ${tally.skipped}\x1b[0m\n`);
  process.stdout.write(`   (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  tallies.push(tally);
}
process.stdout.write('\n==> platform totals\n');
for (const t of tallies) process.stdout.write(`${t.line()}\n`);
process.stdout.write(`lanes took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
const failed = tallies.some((t) => t.failed > 0 || (required && t.skipped !== null));
process.exit(failed ? 1 : 0);
