// Build and pack the published packages (spec, sdk-c, host-node with its three prebuilt runtimes,
// ui-react) into .cache/lanes/tarballs, as `pnpm pack` would for a release.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureApt, PACKAGES, ROOT, TARBALLS } from './lib.mjs';

/** Why the tools to pack are missing and cannot be installed (the lanes are skipped, not failed). */
export class PackToolsMissing extends Error {}

/** The prebuilt runtimes the host-node tarball must list. */
export const PREBUILDS = [
  'prebuilds/linux-x64/pi_host_rt.so',
  'prebuilds/linux-arm64/pi_host_rt.so',
  'prebuilds/win32-x64/pi_host_rt.dll',
];

/** Build (tsc), pack; returns the file list of the host-node tarball. Throws with the tool's output. */
export async function packWorkspace() {
  const filters = ['spec', 'host-node', 'ui-react'].flatMap((p) => ['--filter', `@plugin-interfaces/${p}`]);
  const build = spawnSync('pnpm', [...filters, 'run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0)
    throw new Error(`pnpm build failed:\n${(build.stdout + build.stderr).slice(-2000)}`);
  await ensureCrossCompilers();
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

/**
 * host-node's prepack builds a runtime for every prebuilt target with that target's compiler: install
 * the Debian packages its targets name (NATIVE_TARGETS, read from the build just made) when the
 * compiler is missing.
 */
async function ensureCrossCompilers() {
  const targets = join(ROOT, 'packages', 'host-node', 'dist', 'native', 'targets.js');
  const { NATIVE_TARGETS } = await import(pathToFileURL(targets).href);
  const missing = NATIVE_TARGETS.filter(
    (t) => spawnSync(t.compiler, ['--version'], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length === 0) return;
  const why = ensureApt(missing.flatMap((t) => t.apt.split(' ')));
  if (why !== null)
    throw new PackToolsMissing(
      `the cross compilers for the prebuilt runtimes (${missing.map((t) => t.id).join(', ')}) are missing: ${why}`,
    );
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
