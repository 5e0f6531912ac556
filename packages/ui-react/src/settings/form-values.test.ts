import type { SettingSpec } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { fromRaw, initialRaw } from './form-values.js';

const specs: Record<string, SettingSpec> = {
  n: { type: 'number', default: 2 },
  s: { type: 'select', options: ['a', 'b'] },
  b: { type: 'boolean' },
  t: { type: 'string' },
};

describe('form values', () => {
  it('starts from saved values over defaults', () => {
    expect(initialRaw(specs, { t: 'x' })).toEqual({ n: '2', s: '', b: false, t: 'x' });
  });

  it('leaves out empty numbers and selects, and keeps non-numbers as NaN for validation', () => {
    expect(fromRaw(specs, { n: '', s: '', b: true, t: '' })).toEqual({ b: true, t: '' });
    expect(fromRaw(specs, { n: 'abc', s: 'b', b: false, t: 'y' })).toEqual({
      n: Number.NaN,
      s: 'b',
      b: false,
      t: 'y',
    });
  });
});
