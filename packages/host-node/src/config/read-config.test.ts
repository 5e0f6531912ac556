import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@plugin-interfaces/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HostError, isHostError } from '../errors.js';
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

const VALID = '[plugin]\nid="a"\nname="A"\nversion="1.0.0"\ndescription=""\n';

async function refusal(dir: string, options = {}): Promise<HostError> {
  const err = await readPluginConfig(dir, options).catch((e: unknown) => e);
  if (!isHostError(err)) throw new Error(`expected a HostError, got ${String(err)}`);
  return err;
}

/** Everything an error carries that could reach a snapshot. */
function visible(err: HostError): string {
  return JSON.stringify({ message: err.message, info: err.toInfo(), location: err.location });
}

describe('readPluginConfig refuses unsafe files', () => {
  it('refuses a config.toml larger than LIMITS.maxConfigBytes without reading or quoting it', async () => {
    await mkdir(join(root, 'big'));
    const secret = 'SECRET-LINE';
    await writeFile(
      join(root, 'big/config.toml'),
      `${VALID}# ${secret}\n${'#'.repeat(LIMITS.maxConfigBytes)}\n`,
    );
    const err = await refusal(join(root, 'big'));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(new RegExp(`the limit is ${LIMITS.maxConfigBytes}`));
    expect(visible(err)).not.toContain(secret);
  });

  it('honours a smaller cap given as an option', async () => {
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a/config.toml'), VALID);
    expect((await refusal(join(root, 'a'), { maxConfigBytes: 10 })).detail).toEqual({
      bytes: VALID.length,
      limit: 10,
    });
  });

  it("refuses a config.toml symlinked outside the plugin folder and never shows the target's lines", async () => {
    await mkdir(join(root, 'evil'));
    await writeFile(join(root, 'outside.toml'), 'root:x:0:0:root:/root:/bin/bash\n');
    await symlink(join(root, 'outside.toml'), join(root, 'evil/config.toml'));
    const err = await refusal(join(root, 'evil'));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/outside the plugin folder/);
    expect(visible(err)).not.toContain('root:x:0:0');
  });

  it('follows a symlink that stays inside the plugin folder', async () => {
    await mkdir(join(root, 'in/conf'), { recursive: true });
    await writeFile(join(root, 'in/conf/real.toml'), VALID);
    await symlink('conf/real.toml', join(root, 'in/config.toml'));
    expect((await readPluginConfig(join(root, 'in'))).config.plugin.id).toBe('a');
  });

  it('reports invalid UTF-8 as CONFIG_PARSE at the line and column where it starts', async () => {
    await mkdir(join(root, 'latin1'));
    const bytes = Buffer.concat([
      Buffer.from(`${VALID}author = "Jos`),
      Buffer.from([0xe9]),
      Buffer.from('"\n'),
    ]);
    await writeFile(join(root, 'latin1/config.toml'), bytes);
    const err = await refusal(join(root, 'latin1'));
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.location).toEqual({ file: join(root, 'latin1/config.toml'), line: 6, column: 14 });
    expect(err.message).toMatch(/not valid UTF-8/);
  });

  it('reports a TOML syntax error by position, without quoting lines of the file', async () => {
    await mkdir(join(root, 'syntax'));
    await writeFile(join(root, 'syntax/config.toml'), `${VALID}secret_line = "hunter2"\nbroken = = 1\n`);
    const err = await refusal(join(root, 'syntax'));
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.location?.line).toBe(7);
    expect(visible(err)).not.toContain('hunter2');
  });

  it('refuses a folder whose config.toml is not a regular file', async () => {
    await mkdir(join(root, 'dir/config.toml'), { recursive: true });
    expect((await refusal(join(root, 'dir'))).message).toMatch(/not a regular file/);
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
