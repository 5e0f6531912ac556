// Builds the benchmark's native fixtures from source with the system C compiler.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDK's include directory (the generated header). */
export const SDK_INCLUDE = join(
  dirname(createRequire(import.meta.url).resolve('@plugin-interfaces/sdk-c/package.json')),
  'include',
);

/** Compile `test/fixtures/<folder>/<name>.c` into `<dir>/<name>.so` and return its path. */
export function compileFixture(dir: string, name: string, folder: 'native' | 'faults' = 'native'): string {
  const source = fileURLToPath(new URL(`../test/fixtures/${folder}/${name}.c`, import.meta.url));
  const out = join(dir, `${name}.so`);
  const r = spawnSync(
    'cc',
    ['-std=c11', '-O2', '-shared', '-fPIC', '-pthread', '-I', SDK_INCLUDE, '-o', out, source],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`cc ${name}: ${r.stderr}`);
  return out;
}
