import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { InProcessDriver } from '../src/driver/in-process/index.js';
import { recordingHooks } from './support/driver-hooks.js';

const fx = inject('nativeFixtures');

describe('a library truncated after the scan', () => {
  it('is refused by the in-process loader with LIBRARY_LOAD_FAILED instead of ending the host with SIGBUS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-truncated-'));
    try {
      const whole = readFileSync(fx.good!);
      const cut = join(dir, 'libcut.so');
      // Keep the ELF and program headers, drop the tail: the loader would map pages past the end.
      writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
      await using driver = new InProcessDriver();
      await expect(driver.loadLibrary(cut, recordingHooks().hooks)).rejects.toMatchObject({
        code: 'LIBRARY_LOAD_FAILED',
        message: expect.stringMatching(
          new RegExp(`^${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is truncated`),
        ),
      });
      // The host is alive and loads a whole library afterwards.
      const lib = await driver.loadLibrary(fx.good!, recordingHooks().hooks);
      expect(lib.info.path).toBe(fx.good);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
