import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPlugins, type Platform } from '../discovery/index.js';
import { HostError } from '../errors.js';
import { installPlugin } from './install-plugin.js';
import { fetchIndex } from './plugin-index.js';
import { startTestServer, type TestServer } from './test-server.js';
import { uninstallPlugin } from './uninstall-plugin.js';

const linux: Platform = { os: 'linux', arch: 'x64' };
/** The test server is plain http on 127.0.0.1: allowed only behind this option. */
const LOOP = { allowLoopbackHttp: true } as const;
const sha = (b: string) => createHash('sha256').update(b).digest('hex');

let pluginsDir: string;
beforeEach(async () => {
  pluginsDir = await realpath(await mkdtemp(join(tmpdir(), 'pi-install-')));
});
afterEach(async () => {
  await rm(pluginsDir, { recursive: true, force: true });
});

/** Publish `id@version` with library bytes `lib` (and an optionally wrong checksum) on the server. */
function publish(
  server: TestServer,
  id: string,
  version: string,
  lib: string,
  checksum = sha(lib),
  extra = '',
) {
  server.routes.set('/index.json', {
    body: JSON.stringify({ plugins: [{ id, version, config_url: `plugins/${id}/config.toml` }] }),
  });
  server.routes.set(`/plugins/${id}/config.toml`, {
    body:
      `[plugin]\nid = "${id}"\nname = "Echo"\nversion = "${version}"\ndescription = "d"\n${extra}\n` +
      `[download.linux-x64]\ndownload_url = "lib-${version}.so"\nchecksum = "${checksum}"\n`,
  });
  server.routes.set(`/plugins/${id}/lib-${version}.so`, { body: lib });
}

async function install(
  server: TestServer,
  onProgress?: (p: { received: number; total: number | null }) => void,
) {
  const index = await fetchIndex(`${server.url}/index.json`, LOOP);
  return installPlugin({
    index,
    id: 'echo',
    pluginsDir,
    platform: linux,
    ...LOOP,
    ...(onProgress ? { onProgress } : {}),
  });
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const bytes = await readFile(join(dir, name)).catch(() => null);
    if (bytes !== null) out[name] = bytes.toString('hex');
  }
  return out;
}

async function failure(p: Promise<unknown>): Promise<HostError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof HostError)) throw new Error(`expected a HostError, got ${String(e)}`);
  return e;
}

describe('installPlugin', () => {
  it('installs a plugin that discovery then finds ready, reporting progress', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    const progress: number[] = [];
    const installed = await install(server, (p) => progress.push(p.received));
    expect(installed).toEqual({
      id: 'echo',
      version: '1.0.0',
      dir: join(pluginsDir, 'echo'),
      configPath: join(pluginsDir, 'echo/config.toml'),
      libraryPath: join(pluginsDir, 'echo/libecho.so'),
      sha256: sha('LIB-v1'),
      previousVersion: null,
    });
    expect(progress.at(-1)).toBe(6);
    expect(await readFile(installed.libraryPath, 'utf8')).toBe('LIB-v1');
    const found = await discoverPlugins([pluginsDir], { platform: linux });
    expect(found.plugins.map((p) => [p.id, p.status, p.libraryPath])).toEqual([
      ['echo', 'ready', installed.libraryPath],
    ]);
    expect(await readdir(pluginsDir)).toEqual(['echo']);
  });

  it('saves the library under the name `library` makes discovery look for', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'L', sha('L'), 'library = "echo_core"');
    const installed = await install(server);
    expect(installed.libraryPath).toBe(join(pluginsDir, 'echo/libecho_core.so'));
    expect((await discoverPlugins([pluginsDir], { platform: linux })).plugins[0]?.status).toBe('ready');
  });

  it('upgrades in place and reports the previous version', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    await install(server);
    publish(server, 'echo', '1.1.0', 'LIB-v2');
    const upgraded = await install(server);
    expect([upgraded.version, upgraded.previousVersion]).toEqual(['1.1.0', '1.0.0']);
    expect(await readFile(upgraded.libraryPath, 'utf8')).toBe('LIB-v2');
    expect(await readdir(pluginsDir)).toEqual(['echo']);
  });

  it('leaves the old version byte-identical when the checksum does not match', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    await install(server);
    const before = await snapshot(join(pluginsDir, 'echo'));
    publish(server, 'echo', '1.1.0', 'LIB-v2-tampered', sha('LIB-v2'));
    const err = await failure(install(server));
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.detail).toMatchObject({ expected: sha('LIB-v2'), actual: sha('LIB-v2-tampered') });
    expect(await snapshot(join(pluginsDir, 'echo'))).toEqual(before);
    expect(await readdir(pluginsDir)).toEqual(['echo']);
  });

  it('leaves the old version when the server answers 500', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    await install(server);
    const before = await snapshot(join(pluginsDir, 'echo'));
    publish(server, 'echo', '1.1.0', 'LIB-v2');
    server.routes.set('/plugins/echo/lib-1.1.0.so', { status: 500, body: 'boom' });
    const err = await failure(install(server));
    expect([err.code, err.retryable]).toEqual(['INSTALL_FAILED', true]);
    expect(err.message).toContain('HTTP 500');
    expect(await snapshot(join(pluginsDir, 'echo'))).toEqual(before);
    expect(await readdir(pluginsDir)).toEqual(['echo']);
  });

  it('refuses a plugin that would not pass discovery, without touching the old one', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    await install(server);
    const before = await snapshot(join(pluginsDir, 'echo'));
    publish(server, 'echo', '2.0.0', 'LIB-v2', sha('LIB-v2'), 'abi = "9.0"');
    const err = await failure(install(server));
    expect(err.code).toBe('INSTALL_FAILED');
    expect(err.message).toMatch(/ABI 9\.0/);
    expect(await snapshot(join(pluginsDir, 'echo'))).toEqual(before);
    expect(await readdir(pluginsDir)).toEqual(['echo']);
  });

  it('refuses to replace a loaded plugin, unknown ids and traversal ids', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    const index = await fetchIndex(`${server.url}/index.json`, LOOP);
    const base = { index, pluginsDir, platform: linux, ...LOOP };
    const loaded = await failure(installPlugin({ ...base, id: 'echo', isLoaded: () => true }));
    expect([loaded.code, loaded.message]).toEqual(['INSTALL_FAILED', expect.stringContaining('unload')]);
    expect((await failure(installPlugin({ ...base, id: 'other' }))).code).toBe('PLUGIN_NOT_FOUND');
    expect((await failure(installPlugin({ ...base, id: '../echo' }))).code).toBe('PLUGIN_ID_INVALID');
    expect(server.requests).toEqual(['/index.json']);
  });

  it('refuses a library larger than the cap before writing anything', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'x'.repeat(1000));
    const index = await fetchIndex(`${server.url}/index.json`, LOOP);
    const err = await failure(
      installPlugin({ index, id: 'echo', pluginsDir, platform: linux, maxBytes: 100, ...LOOP }),
    );
    expect([err.code, err.message]).toEqual([
      'INSTALL_FAILED',
      expect.stringContaining('limit of 100 bytes'),
    ]);
    expect(await readdir(pluginsDir)).toEqual([]);
  });

  it('gives up on a library download that stalls past the deadline', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    server.routes.set('/plugins/echo/lib-1.0.0.so', { body: 'LIB', hang: true });
    const index = await fetchIndex(`${server.url}/index.json`, LOOP);
    const err = await failure(
      installPlugin({ index, id: 'echo', pluginsDir, platform: linux, timeoutMs: 300, ...LOOP }),
    );
    expect([err.code, err.retryable]).toEqual(['INSTALL_FAILED', true]);
    expect(err.message).toContain('within 300 ms');
    expect(await readdir(pluginsDir)).toEqual([]);
  });
});

describe('fetchIndex', () => {
  it('resolves config URLs against the index and rejects malformed indexes', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'L');
    const index = await fetchIndex(`${server.url}/index.json`, LOOP);
    expect(index.plugins).toEqual([
      { id: 'echo', version: '1.0.0', configUrl: `${server.url}/plugins/echo/config.toml` },
    ]);
    server.routes.set('/bad.json', {
      body: JSON.stringify({ plugins: [{ id: '../x', version: '1', config_url: 'c' }] }),
    });
    expect((await failure(fetchIndex(`${server.url}/bad.json`, LOOP))).code).toBe('INVALID_JSON');
    expect((await failure(fetchIndex(`${server.url}/missing.json`, LOOP))).message).toContain('HTTP 404');
  });
});

describe('uninstallPlugin', () => {
  it('removes an installed plugin unless it is loaded', async () => {
    await using server = await startTestServer();
    publish(server, 'echo', '1.0.0', 'LIB-v1');
    await install(server);
    const refused = await failure(uninstallPlugin({ id: 'echo', pluginsDir, isLoaded: async () => true }));
    expect(refused.code).toBe('INSTALL_FAILED');
    expect(refused.message).toMatch(/is loaded.*unload all its instances first/);
    expect(await readdir(pluginsDir)).toEqual(['echo']);

    expect(await uninstallPlugin({ id: 'echo', pluginsDir, isLoaded: () => false })).toEqual({
      id: 'echo',
      dir: join(pluginsDir, 'echo'),
      version: '1.0.0',
    });
    expect(await readdir(pluginsDir)).toEqual([]);
    expect((await failure(uninstallPlugin({ id: 'echo', pluginsDir }))).code).toBe('PLUGIN_NOT_FOUND');
    expect((await failure(uninstallPlugin({ id: '..', pluginsDir }))).code).toBe('PLUGIN_ID_INVALID');
  });
});
