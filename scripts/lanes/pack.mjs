// Build and pack the published packages (spec, sdk-c, host-node with its three prebuilt runtimes,
// ui-react) into .cache/lanes/tarballs, as `pnpm pack` would for a release.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES, ROOT, TARBALLS } from './lib.mjs';

/** The prebuilt runtimes the host-node tarball must list. */
export const PREBUILDS = [
  'prebuilds/linux-x64/pi_host_rt.so',
  'prebuilds/linux-arm64/pi_host_rt.so',
  'prebuilds/win32-x64/pi_host_rt.dll',
];

/** Build (tsc), pack; returns the file list of the host-node tarball. Throws with the tool's output. */
export function packWorkspace() {
  const filters = ['spec', 'host-node', 'ui-react'].flatMap((p) => ['--filter', `@plugin-interfaces/${p}`]);
  const build = spawnSync('pnpm', [...filters, 'run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0)
    throw new Error(`pnpm build failed:\n${(build.stdout + build.stderr).slice(-2000)}`);
  rmSync(TARBALLS, { recursive: true, force: true });
  mkdirSync(TARBALLS, { recursive: true });
  for (const p of PACKAGES) {
    const r = spawnSync('pnpm', ['pack', '--pack-destination', TARBALLS], {
      cwd: join(ROOT, 'packages', p),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`pnpm pack ${p} failed:\n${(r.stdout + r.stderr).slice(-2000)}`);
  }
  return packedFiles();
}

/** The file list of the packed host-node tarball. */
export function packedFiles() {
  return execFileSync('tar', ['-tzf', join(TARBALLS, 'plugin-interfaces-host-node-0.1.0.tgz')], {
    encoding: 'utf8',
  })
    .split('\n')
    .map((l) => l.replace(/^package\//, ''))
    .filter(Boolean);
}
