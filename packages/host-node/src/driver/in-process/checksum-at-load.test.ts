import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { platformKey } from '../../discovery/platform.js';
import { isHostError } from '../../errors.js';
import { createPluginHost } from '../../host/index.js';
import { PiStatus } from '../../pi-status.js';
import { IsolatedDriver } from '../isolated/index.js';
import type { PluginDriver } from '../types.js';
import { InProcessDriver } from './driver.js';

const fx = inject('nativeFixtures');
const dir = mkdtempSync(join(tmpdir(), 'pi-checksum-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const hooks = {
  onEvents: () => undefined,
  getAppConfig: () => ({ status: PiStatus.OK, value: null }),
  callOtherPlugin: () => ({ status: PiStatus.OK, value: null }),
};

async function loadError(driver: PluginDriver, path: string, expected: string): Promise<unknown> {
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

  it('refuses the replaced library in isolated mode too: the plugin process checks its own shadow copy', async () => {
    const path = join(dir, 'isolated-plugin.so');
    copyFileSync(fx.good!, path);
    const scanned = sha256(path);
    copyFileSync(fx.no_entry!, path);
    await using driver = new IsolatedDriver({ warmSpare: false });
    const e = await loadError(driver, path, scanned);
    expect(isHostError(e, 'CHECKSUM_MISMATCH')).toBe(true);
    expect((e as Error).message).toContain(`expects ${scanned}`);
  });

  it('loads in isolated mode when the mapped bytes match', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false });
    const lib = await driver.loadLibrary(fx.good!, hooks, { sha256: sha256(fx.good!) });
    expect(lib.info.path).toBe(fx.good);
  });

  it.each(['in-process', 'isolated'] as const)(
    'makes host.load refuse a library replaced after the scan (%s)',
    async (isolation) => {
      const root = mkdtempSync(join(dir, `host-${isolation}-`));
      const folder = join(root, 'summed');
      mkdirSync(folder);
      const library = join(folder, 'libsummed.so');
      copyFileSync(fx.good!, library);
      writeFileSync(
        join(folder, 'config.toml'),
        [
          '[plugin]',
          'id = "summed"',
          'name = "Summed"',
          'version = "0.1.0"',
          'description = "A library with a checksum"',
          'library = "summed"',
          'abi = "1.0"',
          '',
          '[checksums]',
          `${platformKey()} = "${sha256(library)}"`,
          '',
        ].join('\n'),
      );
      await using host = await createPluginHost({ pluginDirs: [root], isolation });
      expect(host.plugins().map((p) => [p.id, p.status])).toEqual([['summed', 'ready']]);
      copyFileSync(fx.no_entry!, library); // replaced after the scan
      const e = await host.load('summed').catch((err: unknown) => err);
      expect(isHostError(e, 'CHECKSUM_MISMATCH')).toBe(true);
    },
  );
});
