// Build host-node's native runtime for every prebuilt platform from source, reproducibly:
//   pnpm --filter @plugin-interfaces/host-node build:prebuilds            all targets (fails on a missing compiler)
//   tsx scripts/build-prebuilds.ts --available                            targets whose compiler is installed
//   tsx scripts/build-prebuilds.ts --verify                               build twice, fail if the bytes differ
//   tsx scripts/build-prebuilds.ts --host                                 only this machine's platform
// Output: prebuilds/<platform>-<arch>/pi_host_rt.{so,dll} + manifest.json (source hash, SHA-256).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrebuildManifest } from '../src/native/locate.js';
import {
  compileArgs,
  NATIVE_TARGETS,
  type NativeTarget,
  prebuildsDir,
  sourceHash,
} from '../src/native/targets.js';

const args = new Set(process.argv.slice(2));
const available = args.has('--available');
const verify = args.has('--verify');
const hostOnly = args.has('--host');

function hasCompiler(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The compiler to use for a target: its cross compiler, or `cc` for the machine's own platform. */
function compilerFor(t: NativeTarget): string | null {
  if (hasCompiler(t.compiler)) return t.compiler;
  const own = t.id === `${process.platform}-${process.arch}`;
  const cc = process.env.CC ?? 'cc';
  return own && hasCompiler(cc) ? cc : null;
}

function compile(t: NativeTarget, compiler: string, out: string): void {
  const r = spawnSync(compiler, compileArgs(t.flags, out), {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '0', LC_ALL: 'C' },
  });
  if (r.status !== 0) throw new Error(`${t.id}: ${compiler} failed:\n${r.stderr || String(r.error)}`);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const sources = sourceHash();
let failed = 0;
for (const t of NATIVE_TARGETS) {
  if (hostOnly && t.id !== `${process.platform}-${process.arch}`) continue;
  const compiler = compilerFor(t);
  if (!compiler) {
    const msg = `${t.id}: no ${t.compiler}; install it (Debian: apt-get install ${t.apt}).`;
    if (available) {
      process.stdout.write(`skipped ${msg}\n`);
      continue;
    }
    process.stderr.write(`error: ${msg}\n`);
    failed++;
    continue;
  }
  const dir = join(prebuildsDir, t.id);
  const out = join(dir, t.file);
  const manifestPath = join(dir, 'manifest.json');
  const current = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<PrebuildManifest>)
    : {};
  if (!verify && current.sources === sources && existsSync(out) && sha256(out) === current.sha256) {
    process.stdout.write(`${t.id}: up to date (${current.sha256?.slice(0, 12)})\n`);
    continue;
  }
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), `pi-prebuild-${t.id}-`));
  try {
    const first = join(scratch, 'a', t.file);
    mkdirSync(join(scratch, 'a'));
    compile(t, compiler, first);
    if (verify) {
      const second = join(scratch, 'b', t.file);
      mkdirSync(join(scratch, 'b'));
      compile(t, compiler, second);
      if (sha256(first) !== sha256(second)) throw new Error(`${t.id}: two builds differ (not reproducible)`);
    }
    renameSync(first, out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const manifest: PrebuildManifest = { target: t.id, sources, sha256: sha256(out) };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(
    `${t.id}: built with ${compiler} (${manifest.sha256.slice(0, 12)}${verify ? ', reproducible' : ''})\n`,
  );
}
if (failed > 0) process.exit(1);
