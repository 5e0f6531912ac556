import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const include = join(
  dirname(createRequire(import.meta.url).resolve('@plugin-interfaces/sdk-c/package.json')),
  'include',
);
const faults = join(import.meta.dirname, '../../test/fixtures/faults');

/** Test helper: compile a fault-suite C fixture into `out` (extra flags: packing, variants). */
export function compileFixture(out: string, source: string, extra: readonly string[] = []): void {
  const args = [
    '-std=c11',
    '-O1',
    '-shared',
    '-fPIC',
    '-pthread',
    '-I',
    include,
    ...extra,
    '-o',
    out,
    join(faults, source),
  ];
  const r = spawnSync(process.env.CC ?? 'cc', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling ${source} failed: ${r.stderr || String(r.error)}`);
}

/** Test helper: a plugin folder `<root>/<id>` with `lib<id>.so` copied from `library` (if any) and a config. */
export function pluginFolder(root: string, id: string, library: string | null, extra = ''): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  if (library !== null) copyFileSync(library, join(dir, `lib${id}.so`));
  writeFileSync(
    join(dir, 'config.toml'),
    `[plugin]\nid = "${id}"\nname = "${id}"\nversion = "1.0.0"\ndescription = "doctor test"\n${extra}\n`,
  );
  return dir;
}

/** SHA-256 of a file, hex. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
