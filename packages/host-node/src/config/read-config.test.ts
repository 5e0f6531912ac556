import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHostError } from '../errors.js';
import { assertPluginId, isValidPluginId } from './plugin-id.js';
import { readPluginConfig } from './read-config.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pi-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readPluginConfig', () => {
  it('reads config.toml from the given folder, not the working directory', async () => {
    await mkdir(join(root, 'a'));
    await writeFile(
      join(root, 'a/config.toml'),
      '[plugin]\nid="a"\nname="A"\nversion="1.0.0"\ndescription=""\n',
    );
    const loaded = await readPluginConfig(join(root, 'a'));
    expect(loaded.configPath).toBe(join(root, 'a/config.toml'));
    expect(loaded.config.plugin.id).toBe('a');
  });

  it('throws CONFIG_NOT_FOUND naming the missing file', async () => {
    const err = await readPluginConfig(join(root, 'nope')).catch((e: unknown) => e);
    expect(isHostError(err, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((err as Error).message).toContain(join(root, 'nope/config.toml'));
  });
});

describe('plugin ids', () => {
  it('accepts spec ids and rejects traversal and separators', () => {
    expect(['echo', 'a.b-c_d', '0x'].map(isValidPluginId)).toEqual([true, true, true]);
    expect(['..', '../x', 'a/b', 'a\\b', '', 'Echo', '.hidden', 'x'.repeat(65)].map(isValidPluginId)).toEqual(
      Array(8).fill(false),
    );
    expect(() => assertPluginId('../x')).toThrow(/not allowed/);
  });
});
