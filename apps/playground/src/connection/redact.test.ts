import { describe, expect, it } from 'vitest';
import { collectSecretKeys, REDACTED, redactValue } from './redact.js';

describe('secret redaction', () => {
  it('hides setting values declared secret, wherever they appear', () => {
    const declared = new Set<string>();
    collectSecretKeys(
      { plugins: [{ id: 'p', settings: { endpoint_key: { type: 'string', secret: true } } }] },
      declared,
    );
    expect(declared).toEqual(new Set(['endpoint_key']));
    expect(
      redactValue({ op: 'set_settings', settings: { endpoint_key: 'abc', name: 'bob' } }, declared),
    ).toEqual({ op: 'set_settings', settings: { endpoint_key: REDACTED, name: 'bob' } });
  });

  it('hides values under names that look secret, and the value of set_app_config for such a key', () => {
    const none = new Set<string>();
    expect(redactValue({ api_key: 'sk-123', password: 'x', n: 1 }, none)).toEqual({
      api_key: REDACTED,
      password: REDACTED,
      n: 1,
    });
    expect(redactValue({ op: 'set_app_config', key: 'api_key', value: 'sk-123' }, none)).toEqual({
      op: 'set_app_config',
      key: 'api_key',
      value: REDACTED,
    });
  });

  it('keeps a secret declaration readable but hides its default', () => {
    expect(redactValue({ api_key: { type: 'string', secret: true, default: 'sk-dev' } }, new Set())).toEqual({
      api_key: { type: 'string', secret: true, default: REDACTED },
    });
  });

  it("keeps the host's set/unset markers readable", () => {
    expect(redactValue({ settings: { api_key: { secret: 'set' } } }, new Set(['api_key']))).toEqual({
      settings: { api_key: { secret: 'set' } },
    });
  });
});
