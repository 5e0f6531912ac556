import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDK's C headers (`plugin_interfaces.h`). */
export const SDK_C_INCLUDE = join(
  dirname(createRequire(import.meta.url).resolve('@plugin-interfaces/sdk-c/package.json')),
  'include',
);

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** The C fixtures of the driver and loader tests. */
export const NATIVE_FIXTURES = join(fixtures, 'native');
/** The C fixtures of the fault suite and the doctor tests. */
export const FAULT_FIXTURES = join(fixtures, 'faults');

/**
 * Compile one C plugin into the shared library `out`: the one compile call of the test suites.
 * `source` is a path, or a file name in {@link FAULT_FIXTURES}; `extra` flags come last, so
 * `-O2` or `-DVARIANT=3` override the defaults. Throws with the compiler's output on failure.
 */
export function compileFixture(out: string, source: string, extra: readonly string[] = []): string {
  const file = isAbsolute(source) ? source : join(FAULT_FIXTURES, source);
  const args = ['-std=c11', '-O1', '-g', '-shared', '-fPIC', '-pthread', '-I', SDK_C_INCLUDE, ...extra];
  const result = spawnSync(process.env.CC ?? 'cc', [...args, '-o', out, file], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`compiling ${file} failed: ${result.stderr || String(result.error)}`);
  return out;
}
