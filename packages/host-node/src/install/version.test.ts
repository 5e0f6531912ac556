import { describe, expect, it } from 'vitest';
import { compareVersions, isUpgrade } from './version.js';

describe('compareVersions', () => {
  it('orders by semantic-version precedence', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0-alpha', '0.9.9', '1.2.0-beta'];
    expect([...sorted].sort(compareVersions)).toEqual([
      '0.9.9',
      '1.2.0-alpha',
      '1.2.0-beta',
      '1.2.0-beta.2',
      '1.2.0-beta.10',
      '1.2.0',
      '1.10.0',
    ]);
    expect(compareVersions('1.0.0+build.1', '1.0.0')).toBe(0);
  });

  it('falls back to dotted numbers for non-semver strings', () => {
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(compareVersions('1.10', '1.9')).toBe(1);
  });

  it('offers an upgrade only for a newer version', () => {
    expect([isUpgrade('1.0.0', '1.0.1'), isUpgrade('1.0.1', '1.0.1'), isUpgrade('2.0.0', '1.9.9')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
