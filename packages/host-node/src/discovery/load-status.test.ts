import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaultPlugins, type FaultPlugins, rmFaultPlugins } from '../../test/faults/support.js';
import { isHostError } from '../errors.js';
import { createPluginHost } from '../index.js';
import { discoverPlugins } from './discover.js';
import { toPluginInfo } from './plugin-info.js';

/** A library that can never load, by the code a load gives. */
const BROKEN = [
  ['noentry', 'noEntry', 'ENTRY_SYMBOL_MISSING'],
  ['nullentry', 'nullEntry', 'ENTRY_INVALID'],
  ['wrongabi', 'wrongAbi', 'ABI_MAJOR_MISMATCH'],
] as const;

let plugins: FaultPlugins;
let root: string;
beforeAll(() => {
  plugins = buildFaultPlugins();
  root = join(plugins.dir, 'plugins');
  const folder = (id: string, lib: string) => {
    mkdirSync(join(root, id), { recursive: true });
    copyFileSync(lib, join(root, id, `lib${id}.so`));
    writeFileSync(
      join(root, id, 'config.toml'),
      `[plugin]\nid = "${id}"\nname = "${id}"\nversion = "1.0.0"\ndescription = "load status"\n`,
    );
  };
  for (const [id, variant] of BROKEN) folder(id, plugins[variant]);
  folder('healthy', plugins.healthy);
});
afterAll(() => rmFaultPlugins(plugins));

describe('a library that can never load', () => {
  it('shows error with the load error in plugins() after a failed load, and the next load fails the same way', async () => {
    await using host = await createPluginHost({ pluginDirs: [root], logger: { log: () => undefined } });
    for (const [id, , code] of BROKEN) {
      expect(host.plugins().find((p) => p.id === id)?.status).toBe('ready');
      const err = await host.load(id).catch((e: unknown) => e);
      expect(isHostError(err, code)).toBe(true);
      const info = host.plugins().find((p) => p.id === id);
      expect([info?.status, info?.error?.code]).toEqual(['error', code]);
      expect(info?.error?.message).toBe((err as Error).message);
      expect(isHostError(await host.load(id).catch((e: unknown) => e), code)).toBe(true);
    }
    expect(host.plugins().find((p) => p.id === 'healthy')?.status).toBe('ready');
    await host.rescan();
    expect(host.plugins().find((p) => p.id === 'noentry')?.status).toBe('ready');
  });

  it('is found at scan time with verifyLibraries, in a child process, before any load', async () => {
    const { plugins: found } = await discoverPlugins([root], { verifyLibraries: true });
    const byId = new Map(found.map((p) => [p.id, toPluginInfo(p)]));
    for (const [id, , code] of BROKEN) {
      expect([byId.get(id)?.status, byId.get(id)?.error?.code]).toEqual(['error', code]);
      expect(byId.get(id)?.error?.location?.file).toContain(`lib${id}.so`);
    }
    expect(byId.get('healthy')?.status).toBe('ready');
  });
});
