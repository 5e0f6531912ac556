import type { PluginInfo } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { parseConfigValue } from './AppConfigEditor.js';
import { needsSettings } from './PluginItem.js';
import { matchesFilter } from './PluginList.js';

const plugin = (over: Partial<PluginInfo> = {}): PluginInfo => ({
  id: 'echo',
  name: 'Echo',
  version: '1.0.0',
  description: 'Echoes every message',
  dir: '/p/echo',
  status: 'ready',
  require_history: false,
  ...over,
});

describe('plugin list logic', () => {
  it('filters by name, id or description, case-insensitively', () => {
    expect(matchesFilter(plugin(), 'ECHO')).toBe(true);
    expect(matchesFilter(plugin(), 'every')).toBe(true);
    expect(matchesFilter(plugin(), 'streamer')).toBe(false);
    expect(matchesFilter(plugin(), '  ')).toBe(true);
  });

  it('asks for settings before load only when a required setting has no default', () => {
    expect(needsSettings(plugin())).toBe(false);
    expect(needsSettings(plugin({ settings: { url: { type: 'string', required: true } } }))).toBe(true);
    expect(
      needsSettings(plugin({ settings: { url: { type: 'string', required: true, default: 'https://x' } } })),
    ).toBe(false);
    expect(needsSettings(plugin({ settings: { n: { type: 'integer' } } }))).toBe(false);
  });
});

describe('app config value box', () => {
  it('reads JSON in JSON mode and refuses what does not parse, with the reason', () => {
    expect(parseConfigValue('{"a":1}', 'json')).toEqual({ ok: true, value: { a: 1 } });
    const bad = parseConfigValue('hello there', 'json');
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.error).toMatch(/^Not valid JSON .*choose Text/);
  });

  it('stores the text as a string in text mode', () => {
    expect(parseConfigValue('hello there', 'text')).toEqual({ ok: true, value: 'hello there' });
  });
});
