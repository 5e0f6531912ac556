import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostError } from '../errors.js';
import { parsePluginConfig } from './parse-config.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures/configs');
const fixture = (name: string) => readFile(join(fixtures, name), 'utf8');

function thrown(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e;
    throw e;
  }
  throw new Error('expected a HostError');
}

describe('parsePluginConfig', () => {
  it('accepts a complete config and keeps tables the host does not know', async () => {
    const config = parsePluginConfig(await fixture('valid.toml'), 'valid.toml');
    expect(config.plugin).toMatchObject({ id: 'echo', version: '1.2.0', abi: '1.0', require_history: true });
    expect(config.settings?.greeting).toEqual({ type: 'string', default: 'hello' });
    expect((config as Record<string, unknown>).connection).toEqual({ host: 'example.invalid' });
  });

  it('reports TOML syntax errors as CONFIG_PARSE at file:line:column', async () => {
    const text = await fixture('bad-syntax.toml');
    const err = thrown(() => parsePluginConfig(text, 'plug/config.toml'));
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.location).toEqual({ file: 'plug/config.toml', line: 4, column: 11 });
    expect(err.message.startsWith('plug/config.toml:4:11: ')).toBe(true);
  });

  it('reports a newline inside a string at the line where the string is open', () => {
    const err = thrown(() => parsePluginConfig('[plugin]\nid = "echo"\nname = "Echo\n', 'c.toml'));
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.location?.line).toBe(3);
  });

  it('lists every schema problem by its TOML key path and line', async () => {
    const text = await fixture('bad-schema.toml');
    const err = thrown(() => parsePluginConfig(text, 'bad-schema.toml'));
    expect(err.code).toBe('CONFIG_INVALID');
    const problems = (err.detail as { problems: { key: string; line?: number }[] }).problems;
    expect(problems.map((p) => [p.key, p.line])).toEqual([
      ['plugin.description', 1],
      ['plugin.version', 4],
      ['plugin.require_history', 6],
      ['checksums.linux-x86', 9],
    ]);
    expect(err.location).toEqual({ file: 'bad-schema.toml', line: 1, column: 1 });
    expect(err.message).toMatch(/line 4: plugin\.version: must be a semantic version like 1\.2\.0/);
    expect(err.message).toMatch(/line 1: plugin\.description: is required but missing/);
    expect(err.message).toMatch(/line 6: plugin\.require_history: must be a boolean/);
  });

  it('rejects a missing [plugin] table naming the key', () => {
    const err = thrown(() => parsePluginConfig('title = "x"\n', 'c.toml'));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.detail).toEqual({ problems: [{ key: 'plugin', message: 'is required but missing' }] });
  });

  it('rejects an id outside the pattern with PLUGIN_ID_INVALID at the id line', async () => {
    const text = await fixture('bad-id.toml');
    const err = thrown(() => parsePluginConfig(text, 'bad-id.toml'));
    expect(err.code).toBe('PLUGIN_ID_INVALID');
    expect(err.location).toEqual({ file: 'bad-id.toml', line: 2, column: 1 });
    expect(err.message).toContain('"../evil" is not allowed');
  });

  it('finds keys written as dotted keys and quoted keys', () => {
    const text = '[plugin]\nid = "echo"\nname = "E"\ndescription = ""\n"version" = "x"\n';
    const err = thrown(() => parsePluginConfig(text, 'c.toml'));
    expect(err.location).toEqual({ file: 'c.toml', line: 5, column: 1 });
    const dotted = 'plugin.id = "echo"\nplugin.name = "E"\nplugin.description = ""\n  plugin.version = 3\n';
    expect(thrown(() => parsePluginConfig(dotted, 'd.toml')).location).toEqual({
      file: 'd.toml',
      line: 4,
      column: 3,
    });
  });

  it('ignores a UTF-8 byte order mark', () => {
    const text = '\uFEFF[plugin]\nid = "a"\nname = "A"\nversion = "0.1.0"\ndescription = ""\n';
    expect(parsePluginConfig(text, 'c.toml').plugin.id).toBe('a');
  });
});
