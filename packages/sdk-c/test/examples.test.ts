import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltExample,
  buildExamples,
  libraryFileName,
  listExamples,
} from '../scripts/build-examples.mjs';
import { INCLUDE_DIR, PACKAGE_DIR, runCommand, STRICT, TEST_DIR, tempDir } from './toolchain.js';

const EXAMPLE_IDS = ['config-caller', 'echo', 'history', 'streamer', 'ui-demo'];

let out: { path: string } & AsyncDisposable;
let built: BuiltExample[];
let checker: string;
const progress: string[] = [];

beforeAll(async () => {
  out = await tempDir('pi-examples-');
  built = await buildExamples({
    outDir: join(out.path, 'plugins'),
    onProgress: (line) => progress.push(line),
  });
  checker = join(out.path, 'dlopen_check');
  const args = [
    '-std=c11',
    ...STRICT,
    '-I',
    INCLUDE_DIR,
    '-o',
    checker,
    join(TEST_DIR, 'dlopen_check.c'),
    '-ldl',
  ];
  const result = await runCommand('cc', args);
  if (result.code !== 0) throw new Error(`dlopen_check did not compile:\n${result.stderr}`);
}, 60_000);

afterAll(async () => {
  await out?.[Symbol.asyncDispose]();
});

describe('buildExamples', () => {
  it('finds every example folder', async () => {
    expect(await listExamples()).toEqual(EXAMPLE_IDS);
  });

  it('builds one ready plugin folder per example and reports progress', () => {
    expect(built.map((example) => example.id)).toEqual(EXAMPLE_IDS);
    for (const example of built) {
      expect(example.dir).toBe(join(out.path, 'plugins', example.id));
      expect(example.library).toBe(join(example.dir, libraryFileName(example.id)));
    }
    expect(progress).toHaveLength(EXAMPLE_IDS.length);
    expect(progress[0]).toMatch(/^building config-caller… ok \(\d+\.\d s\)$/);
  });

  it('skips outputs that are newer than their sources', async () => {
    const lines: string[] = [];
    await buildExamples({
      outDir: join(out.path, 'plugins'),
      examples: ['echo'],
      onProgress: (l) => lines.push(l),
    });
    expect(lines).toEqual(['building echo… up to date']);
  });

  it('says how to install a C compiler when there is none', async () => {
    const attempt = buildExamples({ outDir: join(out.path, 'none'), cc: 'pi-no-such-compiler' });
    await expect(attempt).rejects.toThrow(/install a C compiler|apt-get install build-essential/);
  });
});

describe.each(EXAMPLE_IDS)('example %s', (id) => {
  it('exports exactly one dynamic symbol, pi_plugin_entry', async () => {
    const example = built.find((candidate) => candidate.id === id)!;
    const result = await runCommand('nm', ['-D', '--defined-only', example.library]);
    expect(result.code).toBe(0);
    const names = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ').pop());
    expect(names).toEqual(['pi_plugin_entry']);
  });

  it('reports the ABI version, fingerprint and layout of this header', async () => {
    const example = built.find((candidate) => candidate.id === id)!;
    const result = await runCommand(checker, [example.library]);
    expect(result.stdout).toMatch(/^ok 1\.0-[0-9a-f]{16} sdk=c layout=\d+\n$/);
    expect(result.code).toBe(0);
  });
});

describe('dlopen_check', () => {
  it('rejects a library whose fingerprint and layout differ from the header', async () => {
    await using dir = await tempDir('pi-liar-');
    const library = join(dir.path, 'libliar.so');
    const flags = ['-std=c11', '-shared', '-fPIC', '-fvisibility=hidden', '-I', INCLUDE_DIR];
    const build = await runCommand('cc', [...flags, '-o', library, join(TEST_DIR, 'liar_plugin.c')]);
    expect(build.code).toBe(0);
    const result = await runCommand(checker, [library]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('fingerprint 1.0-0000000000000000, expected');
    expect(result.stdout).toMatch(/layout row 0: got PiError \d+\/4\/0, expected PiError 2572\/4\/0/);
  });
});

describe('README', () => {
  it('the smallest plugin builds with the one-line cc command and passes dlopen_check', async () => {
    const readme = await readFile(join(PACKAGE_DIR, 'README.md'), 'utf8');
    const source = /```c\n([\s\S]*?)```/.exec(readme)?.[1];
    const command = /^cc .* -o libecho\.so echo\.c$/m.exec(readme)?.[0];
    expect(source).toContain('PI_DECLARE_PLUGIN(vtable)');
    expect(command).toBeDefined();
    await using dir = await tempDir('pi-readme-');
    await writeFile(join(dir.path, 'echo.c'), source!);
    // The README writes the include directory as a placeholder path ending in sdk-c/include.
    const inTemp = (arg: string) => (arg.endsWith('include') ? INCLUDE_DIR : join(dir.path, arg));
    const args = command!
      .split(' ')
      .slice(1)
      .map((arg) => (arg.startsWith('-') ? arg : inTemp(arg)));
    const build = await runCommand('cc', args);
    expect(build.stderr).toBe('');
    const result = await runCommand(checker, [join(dir.path, 'libecho.so')]);
    expect(result.code).toBe(0);
  });
});
