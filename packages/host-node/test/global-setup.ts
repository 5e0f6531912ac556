import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { compileFixture, NATIVE_FIXTURES } from './support/compile.js';

/** Paths of the compiled native fixtures, keyed by name. */
export type NativeFixtures = Record<string, string>;

declare module 'vitest' {
  export interface ProvidedContext {
    nativeFixtures: NativeFixtures;
  }
}

/** Compile every C fixture into a temp folder and hand the paths to the tests. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pi-host-fixtures-'));
  const f: NativeFixtures = {};
  for (const name of ['good', 'no_entry', 'linger', 'tsfn_floor']) {
    f[name] = join(dir, `${name}.so`);
    compileFixture(f[name], join(NATIVE_FIXTURES, `${name}.c`), ['-O2']);
  }
  const variants = [
    'wrong_major',
    'newer_minor',
    'bad_fingerprint',
    'bad_layout',
    'null_destroy',
    'null_entry',
    'small_entry',
  ];
  variants.forEach((name, i) => {
    f[name] = join(dir, `${name}.so`);
    compileFixture(f[name], join(NATIVE_FIXTURES, 'bad_entry.c'), ['-O2', `-DVARIANT=${i + 1}`]);
  });
  f.not_a_library = join(dir, 'not_a_library.so');
  writeFileSync(f.not_a_library, 'this is a text file, not a library\n');
  // A copy of the good plugin whose ELF header claims another CPU.
  f.foreign_arch = join(dir, 'foreign_arch.so');
  const bytes = readFileSync(f.good!);
  bytes.writeUInt16LE(process.arch === 'arm64' ? 0x3e : 0xb7, 18);
  writeFileSync(f.foreign_arch, bytes);
  f.good_copy_dir = join(dir, 'rebuild');
  mkdirSync(f.good_copy_dir);
  copyFileSync(f.good!, join(f.good_copy_dir, 'plugin.so'));
  project.provide('nativeFixtures', f);
  return () => rmSync(dir, { recursive: true, force: true });
}
