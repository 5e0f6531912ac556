import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INCLUDE_DIR, runCommand, STRICT, TEST_DIR, tempDir } from './toolchain.js';

const headerOnly = (name: string) => `#include "${name}"\nint main(void) { return 0; }\n`;

async function compileSource(
  compiler: string,
  flags: readonly string[],
  fileName: string,
  source: string,
  extra: readonly string[] = [],
) {
  await using dir = await tempDir('pi-header-');
  const file = join(dir.path, fileName);
  await writeFile(file, source);
  return await runCommand(compiler, [
    ...flags,
    ...STRICT,
    '-I',
    INCLUDE_DIR,
    '-c',
    file,
    '-o',
    join(dir.path, 'out.o'),
    ...extra,
  ]);
}

describe('headers', () => {
  for (const header of ['plugin_interfaces.h', 'pi_helpers.h']) {
    it(`${header} compiles warning-free as C11`, async () => {
      const result = await compileSource('cc', ['-std=c11'], 'main.c', headerOnly(header));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });

    it(`${header} compiles warning-free as C++17`, async () => {
      const result = await compileSource('g++', ['-std=c++17'], 'main.cpp', headerOnly(header));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });
  }
});

describe('C++ plugins', () => {
  for (const std of ['c++17', 'c++20']) {
    it(`test/cpp_plugin.cpp builds as a shared library with -std=${std}`, async () => {
      await using dir = await tempDir('pi-cpp-');
      const library = join(dir.path, 'libcpp.so');
      const args = [`-std=${std}`, ...STRICT, '-shared', '-fPIC', '-fvisibility=hidden', '-I', INCLUDE_DIR];
      const result = await runCommand('g++', [...args, '-o', library, join(TEST_DIR, 'cpp_plugin.cpp')]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const symbols = await runCommand('nm', ['-D', '--defined-only', library]);
      expect(
        symbols.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(' ').pop()),
      ).toEqual(['pi_plugin_entry']);
    });
  }
});

describe('layout checks', () => {
  it('a different struct packing is refused by the compiler with "differs from the spec"', async () => {
    const result = await compileSource(
      'cc',
      ['-std=c11', '-fpack-struct=1'],
      'main.c',
      headerOnly('plugin_interfaces.h'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/error: .*sizeof\(PiError\) differs from the spec/);
  });

  it('the same header with the default packing passes those checks', async () => {
    const result = await compileSource('cc', ['-std=c11'], 'main.c', headerOnly('plugin_interfaces.h'));
    expect(result.stderr).not.toMatch(/differs from the spec/);
  });
});

describe('pi_error_set', () => {
  it('fills the error, returns the code and cuts long messages at a UTF-8 boundary', async () => {
    await using dir = await tempDir('pi-helpers-');
    const binary = join(dir.path, 'helpers');
    const build = await runCommand('cc', [
      '-std=c11',
      ...STRICT,
      '-I',
      INCLUDE_DIR,
      '-o',
      binary,
      join(TEST_DIR, 'helpers_check.c'),
    ]);
    expect(build.stderr).toBe('');
    const result = await runCommand(binary, []);
    expect(result.stdout.trim().split('\n')).toEqual([
      'code=-2 returned=-2 message=bad value 42',
      'null-safe returned=-7',
      'long length=510 valid-utf8=1',
      'strdup=copy null=1',
    ]);
    expect(result.code).toBe(0);
  });
});
