import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { parseConfigText } from './parse-config.js';

const fixture = (name: string) => readFile(join(import.meta.dirname, 'fixtures', name), 'utf8');

function thrown(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e;
    throw e;
  }
  throw new Error('expected a HostError');
}

describe('unknown config keys', () => {
  it('warns about each misspelt key with "did you mean" and its file:line', async () => {
    const { config, warnings } = parseConfigText(await fixture('misspelt.toml'), 'typo/config.toml', false);
    expect(config.plugin.id).toBe('typo');
    expect(warnings.map((w) => [w.key, w.suggestion, w.location?.line])).toEqual([
      ['permisions', 'permissions', 9],
      ['plugin.libary', 'library', 6],
      ['plugin.require_histroy', 'require_history', 7],
      ['permissions.call_plugin', 'call_plugins', 13],
    ]);
    expect(warnings[1]?.message).toBe('unknown key, ignored by the host (did you mean "library"?)');
    expect(warnings[1]?.location).toEqual({ file: 'typo/config.toml', line: 6, column: 1 });
  });

  it('strict mode throws CONFIG_UNKNOWN_KEY at the first unknown key', async () => {
    const text = await fixture('misspelt.toml');
    const err = thrown(() => parseConfigText(text, 'c.toml', true));
    expect(err.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(err.location).toEqual({ file: 'c.toml', line: 9, column: 1 });
    expect(err.message).toContain(
      'line 6: plugin.libary: unknown key, ignored by the host (did you mean "library"?)',
    );
    expect((err.detail as { warnings: unknown[] }).warnings).toHaveLength(4);
  });

  it('names a misspelt key inside a setting table instead of a generic union error', () => {
    const text =
      '[plugin]\nid="a"\nname="A"\nversion="1.0.0"\ndescription=""\n[settings.greeting]\ntype="string"\ndefualt="hi"\n';
    const err = thrown(() => parseConfigText(text, 'c.toml', false));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('settings.greeting: defualt: unknown key (did you mean "default"?)');
  });

  it('lists the known keys when no key is close', () => {
    const text = '[plugin]\nid="a"\nname="A"\nversion="1.0.0"\ndescription=""\nzzzzzz=1\n';
    const { warnings } = parseConfigText(text, 'c.toml', false);
    expect(warnings[0]?.suggestion).toBeUndefined();
    expect(warnings[0]?.message).toMatch(/known keys: id, name, version, description, author, library/);
  });

  it('suggests only names within a few edits', () => {
    expect(didYouMean('libary', ['library', 'license'])).toBe('library');
    expect(didYouMean('requirehistory', ['require_history'])).toBe('require_history');
    expect(didYouMean('colour', ['library', 'license'])).toBeUndefined();
  });
});

describe('seed configs', () => {
  it('accepts the seed example: require_history, category, tags and min_app_version are known keys', async () => {
    const { config, warnings } = parseConfigText(await fixture('seed-example.toml'), 'c.toml', true);
    expect(warnings).toEqual([]);
    expect(config.plugin).toMatchObject({
      require_history: true,
      category: 'demo',
      tags: ['example', 'widgets', 'streams'],
      min_app_version: '0.1.0',
    });
  });

  it("delivers the LLM plugin's [user] values as settings, the key as a secret, with a migration warning", async () => {
    const { config, warnings } = parseConfigText(
      await fixture('seed-llm-chat.toml'),
      'llm/config.toml',
      true,
    );
    expect(config.settings).toEqual({
      api_key: { type: 'string', label: 'api_key', default: '', secret: true },
      api_url: { type: 'string', label: 'api_url', default: 'https://api.deepseek.com/v1/chat/completions' },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ key: 'user', location: { file: 'llm/config.toml', line: 13 } });
    expect(warnings[0]?.message).toMatch(
      /delivered as settings \(api_key, api_url\).*migrate each to a \[settings\.<key>\] table/,
    );
  });

  it('warns when a [user] secret is written in the file, and keeps a declared setting as declared', () => {
    const text =
      '[plugin]\nid="a"\nname="A"\nversion="1.0.0"\ndescription=""\n[settings.model]\ntype="select"\noptions=["x","y"]\n[user]\napi_key="sk-1"\nmodel="z"\nlist=[1]\n';
    const { config, warnings } = parseConfigText(text, 'c.toml', false);
    expect(config.settings?.model).toEqual({ type: 'select', options: ['x', 'y'] });
    expect(config.settings?.list).toBeUndefined();
    expect(warnings.map((w) => w.key)).toEqual(['user', 'user.api_key', 'user.list']);
  });

  it("keeps the WebSocket plugin's own [connection] table for the plugin, without a warning", async () => {
    const { config, warnings } = parseConfigText(await fixture('seed-websocket.toml'), 'c.toml', true);
    expect(warnings).toEqual([]);
    expect((config as Record<string, unknown>).connection).toEqual({
      host: '127.0.0.1',
      port: 9001,
      path: '/chat',
    });
  });
});
