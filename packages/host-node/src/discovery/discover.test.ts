import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configText, writePluginDir } from '../../test/support/plugin-folders.js';
import { discoverPlugins } from './discover.js';
import type { Platform } from './platform.js';
import { toPluginInfo } from './plugin-info.js';

const linux: Platform = { os: 'linux', arch: 'x64' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let tmp: string;
let root: string;
beforeEach(async () => {
  tmp = await realpath(await mkdtemp(join(tmpdir(), 'pi-discovery-')));
  root = join(tmp, 'plugins');
  await mkdir(root);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function discoverOne(options = { platform: linux }) {
  const result = await discoverPlugins([root], options);
  expect(result.plugins).toHaveLength(1);
  return result.plugins[0]!;
}

describe('discoverPlugins', () => {
  it('finds a ready plugin with its library named after the id', async () => {
    await writePluginDir(join(root, 'echo'), configText('echo'), { 'libecho.so': 'ELF' });
    const p = await discoverOne();
    expect(p).toMatchObject({ id: 'echo', status: 'ready', libraryPath: join(root, 'echo/libecho.so') });
    expect(p.error).toBeUndefined();
    expect(toPluginInfo(p)).toEqual({
      id: 'echo',
      name: 'echo plugin',
      version: '1.0.0',
      description: 'test',
      dir: join(root, 'echo'),
      status: 'ready',
      require_history: false,
    });
  });

  it('searches the folder first, then target/release, then target/debug', async () => {
    await writePluginDir(join(root, 'a'), configText('a'), {
      'target/debug/liba.so': 'd',
      'target/release/liba.so': 'r',
    });
    expect((await discoverOne()).libraryPath).toBe(join(root, 'a/target/release/liba.so'));
    await writeFile(join(root, 'a/liba.so'), 'top');
    expect((await discoverOne()).libraryPath).toBe(join(root, 'a/liba.so'));
  });

  it('uses the per-platform file name of `library`', async () => {
    const files = { 'libcore.so': 'l', 'libcore.dylib': 'm', 'core.dll': 'w' };
    await writePluginDir(join(root, 'x'), configText('x', 'library = "core"'), files);
    const found = async (platform: Platform) =>
      (await discoverPlugins([root], { platform })).plugins[0]?.libraryPath;
    expect(await found(linux)).toBe(join(root, 'x/libcore.so'));
    expect(await found({ os: 'macos', arch: 'arm64' })).toBe(join(root, 'x/libcore.dylib'));
    expect(await found({ os: 'windows', arch: 'x64' })).toBe(join(root, 'x/core.dll'));
  });

  it('accepts `library` as a relative path with an extension', async () => {
    await writePluginDir(join(root, 'x'), configText('x', 'library = "build/out.so"'), {
      'build/out.so': 'b',
    });
    expect(await discoverOne()).toMatchObject({ status: 'ready', libraryPath: join(root, 'x/build/out.so') });
  });

  it('reports a missing library with every path tried and how to build it', async () => {
    await writePluginDir(join(root, 'echo'), configText('echo'));
    const p = await discoverOne();
    const tried = ['libecho.so', 'target/release/libecho.so', 'target/debug/libecho.so'].map((f) =>
      join(root, 'echo', f),
    );
    expect(p.status).toBe('error');
    expect(p.error?.code).toBe('LIBRARY_NOT_FOUND');
    expect(p.error?.detail).toEqual({ tried });
    for (const t of tried) expect(p.error?.message).toContain(t);
    expect(p.error?.message).toMatch(/Build the plugin/);
  });

  it('refuses a library path that climbs out with ../', async () => {
    await writeFile(join(root, 'libevil.so'), 'x');
    await writePluginDir(join(root, 'x'), configText('x', 'library = "../libevil.so"'));
    const p = await discoverOne();
    expect(p.status).toBe('error');
    expect(p.error?.code).toBe('LIBRARY_PATH_ESCAPE');
    expect(p.libraryPath).toBeNull();
  });

  it('refuses a library that is a symlink to a file outside the folder, but follows links inside it', async () => {
    await writeFile(join(tmp, 'outside.so'), 'x');
    await writePluginDir(join(root, 'x'), configText('x'), { 'real/libx-1.so': 'inside' });
    await symlink(join(tmp, 'outside.so'), join(root, 'x/libx.so'));
    const bad = await discoverOne();
    expect(bad.error?.code).toBe('LIBRARY_PATH_ESCAPE');
    expect(bad.error?.message).toContain(join(tmp, 'outside.so'));

    await rm(join(root, 'x/libx.so'));
    await symlink('real/libx-1.so', join(root, 'x/libx.so'));
    expect(await discoverOne()).toMatchObject({
      status: 'ready',
      libraryPath: join(root, 'x/real/libx-1.so'),
    });
  });

  it('verifies the [checksums] entry for the platform, <os>-<arch> before <os>', async () => {
    const tables = `[checksums]\nlinux-x64 = "${sha('good')}"\nlinux = "${sha('other')}"\n`;
    await writePluginDir(join(root, 'c'), configText('c', '', tables), { 'libc.so': 'good' });
    expect((await discoverOne()).status).toBe('ready');
    // linux-arm64 has no specific entry, so the `linux` one applies and does not match.
    const p = await discoverOne({ platform: { os: 'linux', arch: 'arm64' } });
    expect(p.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(p.error?.detail).toMatchObject({ key: 'linux', expected: sha('other'), actual: sha('good') });
  });

  it('reports a checksum mismatch with expected and actual digests', async () => {
    const tables = `[checksums]\nlinux-x64 = "${sha('original').toUpperCase()}"\n`;
    await writePluginDir(join(root, 'c'), configText('c', '', tables), { 'libc.so': 'tampered' });
    const p = await discoverOne();
    expect(p.status).toBe('error');
    expect(p.error?.detail).toMatchObject({ expected: sha('original'), actual: sha('tampered') });
    expect(p.error?.message).toContain(sha('tampered'));
  });

  it('marks a disabled plugin disabled without looking for its library', async () => {
    await writePluginDir(join(root, 'off'), configText('off', 'disabled = true'));
    const p = await discoverOne();
    expect(p).toMatchObject({ status: 'disabled', libraryPath: null });
    expect(toPluginInfo(p).error).toEqual({
      code: 'PLUGIN_DISABLED',
      message: p.error?.message,
      location: { file: join(root, 'off/config.toml') },
    });
  });

  it('refuses a declared ABI with another major or a newer minor before touching the library', async () => {
    await writePluginDir(join(root, 'a'), configText('a', 'abi = "2.0"'), { 'liba.so': 'x' });
    await writePluginDir(join(root, 'b'), configText('b', 'abi = "1.9"'), { 'libb.so': 'x' });
    await writePluginDir(join(root, 'c'), configText('c', 'abi = "1.0"'), { 'libc.so': 'x' });
    const { plugins } = await discoverPlugins([root], { platform: linux, hostAbi: { major: 1, minor: 0 } });
    expect(plugins.map((p) => p.error?.code ?? p.status)).toEqual([
      'ABI_MAJOR_MISMATCH',
      'ABI_MINOR_TOO_NEW',
      'ready',
    ]);
  });

  it('lets the first root win a duplicate id and names both folders for the loser', async () => {
    const second = join(tmp, 'second');
    await writePluginDir(join(root, 'echo'), configText('echo'), { 'libecho.so': '1' });
    await writePluginDir(join(second, 'echo-copy'), configText('echo'), { 'libecho.so': '2' });
    const result = await discoverPlugins([root, second], { platform: linux });
    const [winner, loser] = result.plugins;
    expect(winner).toMatchObject({ dir: join(root, 'echo'), status: 'ready' });
    expect(loser).toMatchObject({ dir: join(second, 'echo-copy'), status: 'error', libraryPath: null });
    expect(loser?.error?.code).toBe('PLUGIN_ID_DUPLICATE');
    expect(loser?.error?.message).toContain(join(root, 'echo'));
    expect(loser?.error?.message).toContain(join(second, 'echo-copy'));
    expect(result.byId.get('echo')).toBe(winner);
  });

  it('keeps going past broken configs and reports a missing root', async () => {
    await writePluginDir(join(root, 'broken'), '[plugin\nid = "x"\n');
    await writePluginDir(join(root, 'good'), configText('good'), { 'libgood.so': 'x' });
    await mkdir(join(root, 'not-a-plugin'));
    await writePluginDir(join(root, '.install-good-abc'), configText('good'));
    const missing = join(tmp, 'nope');
    const result = await discoverPlugins([missing, root], { platform: linux });
    expect(result.roots).toEqual([
      { root: missing, status: 'missing', message: expect.stringContaining(missing), plugins: 0 },
      { root, status: 'ok', plugins: 2 },
    ]);
    expect(result.plugins.map((p) => [p.id, p.status, p.error?.code])).toEqual([
      ['broken', 'error', 'CONFIG_PARSE'],
      ['good', 'ready', undefined],
    ]);
    expect(toPluginInfo(result.plugins[0]!).error?.location).toEqual({
      file: join(root, 'broken/config.toml'),
      line: 1,
      column: 8,
    });
  });
});
