import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { InProcessDriver } from '../src/driver/in-process/index.js';
import { isHostError } from '../src/errors.js';
import { meta, recordingHooks } from './support/driver-hooks.js';

const fx = inject('nativeFixtures');

async function loadError(path: string) {
  await using driver = new InProcessDriver();
  try {
    await driver.loadLibrary(path, recordingHooks().hooks);
  } catch (e) {
    if (isHostError(e)) return e;
    throw e;
  }
  throw new Error(`${path} loaded`);
}

describe('loading plugin libraries', () => {
  it('loads a good plugin and reports its ABI and optional entries', async () => {
    await using driver = new InProcessDriver();
    const lib = await driver.loadLibrary(fx.good!, recordingHooks().hooks);
    expect(lib.info).toMatchObject({ abiMajor: 1, abiMinor: 0, sdk: 'c' });
    expect([...lib.info.entries].sort()).toEqual(
      [
        'apply_settings',
        'handle_message',
        'on_connect',
        'on_mount',
        'on_stream_control',
        'set_history',
        'update_ui',
      ].sort(),
    );
  });

  it.each([
    ['missing', '/nonexistent/plugin.so', 'LIBRARY_NOT_FOUND'],
    ['not_a_library', '', 'LIBRARY_LOAD_FAILED'],
    ['foreign_arch', '', 'LIBRARY_LOAD_FAILED'],
    ['no_entry', '', 'ENTRY_SYMBOL_MISSING'],
    ['wrong_major', '', 'ABI_MAJOR_MISMATCH'],
    ['newer_minor', '', 'ABI_MINOR_TOO_NEW'],
    ['bad_fingerprint', '', 'LAYOUT_MISMATCH'],
    ['bad_layout', '', 'LAYOUT_MISMATCH'],
    ['null_destroy', '', 'ENTRY_INVALID'],
    ['null_entry', '', 'ENTRY_INVALID'],
    ['small_entry', '', 'ENTRY_INVALID'],
  ])('refuses %s with %s', async (name, path, code) => {
    const e = await loadError(path || fx[name]!);
    expect(e.code).toBe(code);
  });

  it('names the architecture found in a foreign library', async () => {
    const e = await loadError(fx.foreign_arch!);
    expect(e.message).toContain(process.arch === 'arm64' ? 'built for x64' : 'built for arm64');
    expect(e.message).toContain('foreign_arch.so');
  });

  it('reports the field-level layout difference', async () => {
    const e = await loadError(fx.bad_layout!);
    expect(e.message).toContain('PiHostApi.log: offset 104 in the plugin, 112 in the host');
    expect(e.detail).toEqual([
      {
        name: 'PiHostApi.log',
        expected: { name: 'PiHostApi.log', size: 8, align: 8, offset: 112 },
        actual: { name: 'PiHostApi.log', size: 8, align: 8, offset: 104 },
      },
    ]);
  });

  it('loads a rebuilt file while the old copy is still loaded (shadow copies)', async () => {
    await using driver = new InProcessDriver();
    const path = join(fx.good_copy_dir!, 'plugin.so');
    const a = await driver.loadLibrary(path, recordingHooks().hooks);
    copyFileSync(fx.good!, path);
    const b = await driver.loadLibrary(path, recordingHooks().hooks);
    const ia = await a.createInstance(meta(path));
    const ib = await b.createInstance(meta(path));
    expect(await ia.handleMessage(1, 'echo:a')).toEqual({ ok: true, pending: false, reply: 'a' });
    expect(await ib.handleMessage(1, 'echo:b')).toEqual({ ok: true, pending: false, reply: 'b' });
  });

  it('refuses to close a library while instances live', async () => {
    await using driver = new InProcessDriver();
    const lib = await driver.loadLibrary(fx.good!, recordingHooks().hooks);
    const inst = await lib.createInstance(meta(fx.good!));
    await expect(lib.close()).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
    await inst.destroy();
    await lib.close();
  });
});
