import { join } from 'node:path';
import { INCLUDE_DIR, PACKAGE_DIR, runCommand, TEST_DIR } from './toolchain.js';

// Plugins and the mock host are built with AddressSanitizer (which includes LeakSanitizer) and
// UBSan, so a leak, a use-after-free or undefined behaviour fails the run.
const SANITIZE = ['-fsanitize=address,undefined', '-fno-omit-frame-pointer', '-g', '-O1'];
const STRICT_C = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pthread', '-I', INCLUDE_DIR];

/** Compiles test/mock_*.c into `<dir>/mock_host`. */
export async function buildMockHost(dir: string): Promise<string> {
  const binary = join(dir, 'mock_host');
  const sources = ['mock_main.c', 'mock_host.c', 'mock_ui.c'].map((name) => join(TEST_DIR, name));
  const result = await runCommand('cc', [...STRICT_C, ...SANITIZE, '-o', binary, ...sources, '-ldl']);
  if (result.code !== 0) throw new Error(`mock_host did not compile:\n${result.stderr}`);
  return binary;
}

/** Compiles examples/<id>/<id>.c with the sanitizers into `<dir>/lib<id>.so`. */
export async function buildSanitizedExample(dir: string, id: string): Promise<string> {
  const library = join(dir, `lib${id}.so`);
  const source = join(PACKAGE_DIR, 'examples', id, `${id}.c`);
  const args = [...STRICT_C, ...SANITIZE, '-shared', '-fPIC', '-fvisibility=hidden', '-o', library, source];
  const result = await runCommand('cc', args);
  if (result.code !== 0) throw new Error(`example ${id} did not compile:\n${result.stderr}`);
  return library;
}

/**
 * Runs a mock-host script against a plugin and returns the printed lines. Throws when the run
 * fails or a sanitizer reports anything, so every scenario also checks for leaks and memory errors.
 */
export async function runScript(
  host: string,
  library: string,
  script: readonly string[],
  requireHistory = false,
): Promise<string[]> {
  const args = requireHistory ? [library, '1'] : [library];
  const result = await runCommand(host, args, `${script.join('\n')}\n`);
  if (result.code !== 0 || result.stderr !== '') {
    throw new Error(`mock_host exited with ${result.code}:\n${result.stderr}\n${result.stdout}`);
  }
  return result.stdout.trimEnd().split('\n');
}

/** The lines every clean run ends with: no thread left, no host string unreleased. */
export const CLEAN_END = ['destroyed', 'threads 1', 'host-strings 0'];
