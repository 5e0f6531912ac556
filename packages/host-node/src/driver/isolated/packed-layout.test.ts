import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recorder } from '../../../test/faults/support.js';
import { compileFixture } from '../../../test/support/compile.js';
import { type HostError, isHostError } from '../../errors.js';
import { InProcessDriver } from '../in-process/index.js';
import { IsolatedDriver } from './isolated-driver.js';

let dir: string;
let packed: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pi-packed-'));
  packed = join(dir, 'libpacked.so');
  // -fpack-struct=1 with the header's layout asserts compiled out: PiPluginEntry is 44 bytes, not 48.
  compileFixture(packed, 'healthy.c', ['-fpack-struct=1', '-D_Static_assert(c,m)=']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectFieldDiff(err: unknown): void {
  expect(isHostError(err, 'LAYOUT_MISMATCH')).toBe(true);
  const e = err as HostError;
  expect(e.message).toContain('PiPluginEntry.struct_size is 44, not 48');
  expect(e.message).toContain('PiPluginEntry.vtable: offset 36 in the plugin, 40 in the host');
}

describe('a plugin built with packed structs', () => {
  it('is refused in-process with the field-level diff read from its packed layout descriptor', async () => {
    await using driver = new InProcessDriver();
    expectFieldDiff(await driver.loadLibrary(packed, recorder().hooks).catch((e: unknown) => e));
  });

  it('is refused the same way in isolated mode', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false });
    expectFieldDiff(await driver.loadLibrary(packed, recorder().hooks).catch((e: unknown) => e));
  });
});
