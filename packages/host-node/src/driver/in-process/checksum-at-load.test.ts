import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isHostError } from '../../errors.js';
import { InProcessDriver } from './driver.js';

const fx = inject('nativeFixtures');
const dir = mkdtempSync(join(tmpdir(), 'pi-checksum-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const hooks = {
  onEvents: () => undefined,
  getAppConfig: () => ({ status: 0, value: null }),
  callOtherPlugin: () => ({ status: 0, value: null }),
};

async function loadError(driver: InProcessDriver, path: string, expected: string): Promise<unknown> {
  try {
    await driver.loadLibrary(path, hooks, { sha256: expected });
  } catch (e) {
    return e;
  }
  return null;
}

describe('checksum of the mapped bytes at load', () => {
  it('loads a library whose shadow copy has the expected SHA-256 (any letter case)', async () => {
    await using driver = new InProcessDriver();
    const lib = await driver.loadLibrary(fx.good!, hooks, { sha256: sha256(fx.good!).toUpperCase() });
    expect(lib.info.path).toBe(fx.good);
  });

  it('refuses a library replaced after the scan with CHECKSUM_MISMATCH naming the file', async () => {
    const path = join(dir, 'plugin.so');
    copyFileSync(fx.good!, path);
    const scanned = sha256(path);
    copyFileSync(fx.no_entry!, path); // replaced between scan and load
    await using driver = new InProcessDriver();
    const e = await loadError(driver, path, scanned);
    expect(isHostError(e, 'CHECKSUM_MISMATCH')).toBe(true);
    expect((e as Error).message).toContain(path);
    expect((e as { detail: unknown }).detail).toEqual({ expected: scanned, actual: sha256(fx.no_entry!) });
  });
});
