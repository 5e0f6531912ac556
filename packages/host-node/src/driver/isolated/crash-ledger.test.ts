import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFaultPlugins,
  type FaultPlugins,
  metaFor,
  recorder,
  rmFaultPlugins,
} from '../../../test/faults/support.js';
import { compileFixture } from '../../../test/support/compile.js';
import { isHostError } from '../../errors.js';
import { createPluginHost } from '../../index.js';
import { CrashLedger, libraryIdentity } from './crash-ledger.js';
import { IsolatedDriver } from './isolated-driver.js';

let plugins: FaultPlugins;
beforeAll(() => {
  plugins = buildFaultPlugins();
});
afterAll(() => rmFaultPlugins(plugins));

const ABORT_IN_MOUNT = { at: 'on_mount', do: 'abort' };

describe('crashes counted per library and version', () => {
  it('disables a plugin that aborts in on_mount after the threshold, although every load starts a fresh process', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false, crashPolicy: { maxCrashes: 3 } });
    const rec = recorder();
    const pids = new Set<number | undefined>();
    for (let load = 1; load <= 3; load++) {
      const lib = await driver.loadLibrary(plugins.fault, rec.hooks);
      pids.add(lib.supervisor.pid);
      const inst = await lib.createInstance(metaFor(plugins.fault, 'fault', ABORT_IN_MOUNT));
      const err = await inst.lifecycle('on_mount').catch((e: unknown) => e);
      expect(isHostError(err, 'PLUGIN_CRASHED')).toBe(true);
      await lib.close();
    }
    expect(pids.size).toBe(3);
    const crashes = rec.faults.flatMap((f) => (f.kind === 'crashed' ? [f.crashCount] : []));
    expect(crashes).toEqual([1, 2, 3]);
    const disabled = rec.faults.find((f) => f.kind === 'disabled');
    expect(disabled).toMatchObject({ kind: 'disabled', crashCount: 3, libraryPath: plugins.fault });
  }, 60_000);

  it('counts a rebuilt library (another version of the file) from zero', async () => {
    const copy = join(plugins.dir, 'copy.so');
    copyFileSync(plugins.fault, copy);
    const before = await libraryIdentity(copy);
    utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    expect(await libraryIdentity(copy)).not.toBe(before);
    const ledger = new CrashLedger({ maxCrashes: 3, windowMs: 60_000 });
    expect([ledger.record(before, 0), ledger.record(before, 1)]).toEqual([1, 2]);
    expect(ledger.record(await libraryIdentity(copy), 2)).toBe(1);
    ledger.clear(before);
    expect(ledger.record(before, 3)).toBe(1);
  });

  it('counts a library that crashes its process while loading, and disables it at the threshold', async () => {
    const src = join(plugins.dir, 'ctor-abort.c');
    writeFileSync(
      src,
      '#include <stdlib.h>\n__attribute__((constructor)) static void boom(void) { abort(); }\n',
    );
    const lib = join(plugins.dir, 'libctor.so');
    compileFixture(lib, src);
    await using driver = new IsolatedDriver({ warmSpare: false, crashPolicy: { maxCrashes: 3 } });
    const codes: string[] = [];
    for (let load = 1; load <= 4; load++) {
      const err = await driver.loadLibrary(lib, recorder().hooks).catch((e: unknown) => e);
      codes.push(isHostError(err) ? err.code : String(err));
    }
    // The fourth load starts a new count: the host keeps the plugin disabled until reload.
    expect(codes).toEqual([
      'PLUGIN_CRASHED',
      'PLUGIN_CRASHED',
      'PLUGIN_DISABLED_AFTER_CRASHES',
      'PLUGIN_CRASHED',
    ]);

    const dir = join(plugins.dir, 'ctor-plugins', 'ctor');
    mkdirSync(dir, { recursive: true });
    copyFileSync(lib, join(dir, 'libctor.so'));
    writeFileSync(
      join(dir, 'config.toml'),
      '[plugin]\nid = "ctor"\nname = "c"\nversion = "1.0.0"\ndescription = "aborts when loaded"\n',
    );
    await using host = await createPluginHost({
      pluginDirs: [join(plugins.dir, 'ctor-plugins')],
      isolation: 'isolated',
      isolatedDriver: { warmSpare: false },
      logger: { log: () => undefined },
    });
    for (let load = 1; load <= 3; load++) await host.load('ctor').catch(() => undefined);
    expect(host.plugins()[0]).toMatchObject({
      status: 'disabled',
      error: { code: 'PLUGIN_DISABLED_AFTER_CRASHES' },
    });
    expect(
      isHostError(await host.load('ctor').catch((e: unknown) => e), 'PLUGIN_DISABLED_AFTER_CRASHES'),
    ).toBe(true);
  }, 60_000);

  it('PluginHost shows the plugin disabled after three failed loads and refuses the fourth', async () => {
    const root = join(plugins.dir, 'host-plugins');
    const dir = join(root, 'mountcrash');
    mkdirSync(dir, { recursive: true });
    copyFileSync(plugins.fault, join(dir, 'libmountcrash.so'));
    writeFileSync(
      join(dir, 'config.toml'),
      '[plugin]\nid = "mountcrash"\nname = "m"\nversion = "1.0.0"\ndescription = "aborts in on_mount"\n' +
        '[settings.at]\ntype = "string"\ndefault = "on_mount"\n[settings.do]\ntype = "string"\ndefault = "abort"\n',
    );
    await using host = await createPluginHost({
      pluginDirs: [root],
      isolation: 'isolated',
      isolatedDriver: { warmSpare: false, backoff: { baseMs: 10_000, maxMs: 10_000 } },
      logger: { log: () => undefined },
    });
    for (let load = 1; load <= 3; load++) {
      const err = await host.load('mountcrash').catch((e: unknown) => e);
      expect(isHostError(err)).toBe(true);
    }
    expect(host.plugins()[0]).toMatchObject({ id: 'mountcrash', status: 'disabled' });
    expect(host.plugins()[0]?.error?.code).toBe('PLUGIN_DISABLED_AFTER_CRASHES');
    const fourth = await host.load('mountcrash').catch((e: unknown) => e);
    expect(isHostError(fourth, 'PLUGIN_DISABLED_AFTER_CRASHES')).toBe(true);
  }, 60_000);
});
