import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configText, writePluginDir } from '../../test/support/plugin-folders.js';
import { createPluginHost } from '../index.js';
import { discoverPlugins } from './discover.js';
import type { Platform } from './platform.js';
import { toPluginInfo } from './plugin-info.js';

const linux: Platform = { os: 'linux', arch: 'x64' };
let root: string;
beforeEach(async () => {
  root = join(await realpath(await mkdtemp(join(tmpdir(), 'pi-config-info-'))), 'plugins');
  await mkdir(root);
});
afterEach(async () => {
  await rm(join(root, '..'), { recursive: true, force: true });
});

async function infoOf(config: string, options: Parameters<typeof discoverPlugins>[1] = {}) {
  await writePluginDir(join(root, 'p'), config, { 'libp.so': 'ELF' });
  const { plugins } = await discoverPlugins([root], { platform: linux, ...options });
  return toPluginInfo(plugins[0]!);
}

describe('config warnings, seed keys and the app version in PluginInfo', () => {
  it('shows unknown keys as warnings with a suggestion and file:line while the plugin stays ready', async () => {
    const info = await infoOf(configText('p', 'libary = "x"'), {});
    expect(info.status).toBe('ready');
    expect(info.warnings).toEqual([
      {
        key: 'plugin.libary',
        message: 'unknown key, ignored by the host (did you mean "library"?)',
        suggestion: 'library',
        location: { file: join(root, 'p/config.toml'), line: 6, column: 1 },
      },
    ]);
  });

  it("reaches host.plugins(), with strict and appVersion given through the host's discovery options", async () => {
    await writePluginDir(join(root, 'p'), configText('p', 'libary = "x"\nmin_app_version = "3.0.0"'), {
      'libp.so': 'ELF',
    });
    await using lenient = await createPluginHost({ pluginDirs: [root], discovery: { appVersion: '3.1.0' } });
    expect(lenient.plugins()[0]).toMatchObject({
      status: 'ready',
      warnings: [{ key: 'plugin.libary', suggestion: 'library' }],
    });
    await using strict = await createPluginHost({ pluginDirs: [root], discovery: { strict: true } });
    expect(strict.plugins()[0]?.error?.code).toBe('CONFIG_UNKNOWN_KEY');
    await using old = await createPluginHost({ pluginDirs: [root], discovery: { appVersion: '2.9.0' } });
    expect(old.plugins()[0]?.error?.code).toBe('APP_VERSION_UNSUPPORTED');
  });

  it('makes the plugin an error with CONFIG_UNKNOWN_KEY under the strict option', async () => {
    const info = await infoOf(configText('p', 'require_histroy = true'), { strict: true });
    expect(info.status).toBe('error');
    expect(info.error?.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(info.error?.message).toContain('did you mean "require_history"?');
  });

  it('carries category and tags from [plugin]', async () => {
    const info = await infoOf(configText('p', 'category = "ai"\ntags = ["llm", "chat"]'));
    expect([info.category, info.tags, info.warnings]).toEqual(['ai', ['llm', 'chat'], undefined]);
  });

  it('refuses a plugin whose min_app_version is newer than the host appVersion, naming both', async () => {
    const config = configText('p', 'min_app_version = "2.1.0"');
    const refused = await infoOf(config, { appVersion: '2.0.9' });
    expect(refused.status).toBe('error');
    expect(refused.error?.code).toBe('APP_VERSION_UNSUPPORTED');
    expect(refused.error?.message).toMatch(
      /needs application version 2\.1\.0 or newer \(min_app_version.*this application is 2\.0\.9/,
    );
    expect((await infoOf(config, { appVersion: '2.1.0' })).status).toBe('ready');
    expect((await infoOf(config, {})).status).toBe('ready');
  });

  it('refuses an application newer than max_client_version', async () => {
    const info = await infoOf(configText('p', 'max_client_version = "1.9.0"'), { appVersion: '2.0.0' });
    expect(info.error?.code).toBe('APP_VERSION_UNSUPPORTED');
  });

  it('delivers [user] values as settings but never shows a secret default', async () => {
    const info = await infoOf(
      configText('p', '', '[user]\napi_key = "sk-live-123"\napi_url = "https://x.invalid"\n'),
    );
    expect(info.settings).toEqual({
      api_key: { type: 'string', label: 'api_key', secret: true },
      api_url: { type: 'string', label: 'api_url', default: 'https://x.invalid' },
    });
    expect(JSON.stringify(info)).not.toContain('sk-live-123');
    expect(info.warnings?.map((w) => w.key)).toEqual(['user', 'user.api_key']);
  });
});
