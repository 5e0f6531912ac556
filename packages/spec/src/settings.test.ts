import { describe, expect, it } from 'vitest';
import type { SettingSpec } from './schemas/config.js';
import { defaultSettings, validateSettings } from './settings.js';

const specs: Record<string, SettingSpec> = {
  api_key: { type: 'string', required: true, pattern: 'sk-[a-z0-9]+', secret: true },
  temperature: { type: 'number', min: 0, max: 2, default: 0.7 },
  model: { type: 'select', options: ['small', 'large'], default: 'small' },
  verbose: { type: 'boolean' },
};

describe('validateSettings', () => {
  it('accepts valid values and fills defaults', () => {
    const r = validateSettings(specs, { api_key: 'sk-abc1' });
    expect(r).toEqual({ ok: true, values: { api_key: 'sk-abc1', temperature: 0.7, model: 'small' } });
  });

  it('names every bad key', () => {
    const r = validateSettings(specs, { api_key: 'nope', temperature: 5, model: 'huge', extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.key).sort()).toEqual(['api_key', 'extra', 'model', 'temperature']);
  });

  it('requires required values', () => {
    const r = validateSettings(specs, {});
    expect(r).toEqual({ ok: false, problems: [{ key: 'api_key', message: 'api_key is required' }] });
  });

  it('gives booleans a false default', () => {
    expect(defaultSettings(specs)).toEqual({ temperature: 0.7, model: 'small', verbose: false });
  });
});
