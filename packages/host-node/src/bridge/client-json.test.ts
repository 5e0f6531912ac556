import { LIMITS } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import {
  bridgeOverFakePlugins,
  errorOf,
  nestedText,
  request,
  requestText,
} from '../../test/support/bridge/bridge-harness.js';
import { deeperThan } from './client-json.js';

/** `[[[…1…]]]`, `depth` levels of arrays. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('client JSON is bounded at the door', () => {
  it('measures depth without recursion, even 200,000 levels deep', () => {
    expect(deeperThan(1, 0)).toBe(false);
    expect(deeperThan([], 0)).toBe(true);
    expect(deeperThan({ a: [1] }, 2)).toBe(false);
    expect(deeperThan({ a: [{}] }, 2)).toBe(true);
    expect(deeperThan(nested(200_000), LIMITS.maxJsonDepth)).toBe(true);
  });

  it('refuses an app-config value nested 5,000 deep with PAYLOAD_TOO_LARGE naming maxJsonDepth; snapshot still works', async () => {
    await using h = await bridgeOverFakePlugins([]);
    await using c = await h.client();
    const error = errorOf(
      await requestText(c, `"op":"set_app_config","key":"deep","value":${nestedText(5000)}`),
    );
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('maxJsonDepth');
    const snap = await request(c, { op: 'snapshot' });
    expect(snap.ok).toBe(true);
    expect(h.fake.host.snapshot().app_config).not.toHaveProperty('deep');
  });

  it('accepts a value exactly maxJsonDepth deep counting the frame itself, and refuses one level more', async () => {
    await using h = await bridgeOverFakePlugins([]);
    await using c = await h.client();
    // The frame object is one level; the value may use the rest.
    const fits = await request(c, {
      op: 'set_app_config',
      key: 'fits',
      value: nested(LIMITS.maxJsonDepth - 1),
    });
    expect(fits.ok).toBe(true);
    const over = await request(c, { op: 'set_app_config', key: 'over', value: nested(LIMITS.maxJsonDepth) });
    expect(errorOf(over).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an app-config value over maxAppConfigValueBytes, naming the limit and the size', async () => {
    await using h = await bridgeOverFakePlugins([]);
    await using c = await h.client();
    const value = 'x'.repeat(LIMITS.maxAppConfigValueBytes);
    const error = errorOf(await request(c, { op: 'set_app_config', key: 'big', value }));
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: { limit: 'maxAppConfigValueBytes' } });
    expect(error.message).toContain(String(LIMITS.maxAppConfigValueBytes + 2));
    expect((await request(c, { op: 'set_app_config', key: 'small', value: 'x'.repeat(1000) })).ok).toBe(true);
  });

  it('refuses settings over maxSettingsBytes before they reach the host', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p', extra: '[settings.name]\ntype = "string"\n' }]);
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'p1' });
    const settings = { name: 'y'.repeat(LIMITS.maxSettingsBytes) };
    const error = errorOf(await request(c, { op: 'set_settings', instance_id: 'p1', settings }));
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: { limit: 'maxSettingsBytes' } });
    expect(h.fake.driver.calls).not.toContain('p1:apply_settings');
  });
});

describe('app-config and settings keys follow the declared pattern', () => {
  it.each([
    ['__proto__'],
    ['constructor'],
    ['prototype'],
    [''],
    ['has space'],
    ['ünïcode'],
    ['k'.repeat(LIMITS.maxAppConfigKeyChars + 1)],
  ])('refuses the app-config key %j with BRIDGE_BAD_FRAME naming /key', async (key) => {
    await using h = await bridgeOverFakePlugins([]);
    await using c = await h.client();
    // Written as raw JSON: an object literal's "__proto__" would set the prototype instead.
    c.send(`{"id":1,"op":"set_app_config","key":${JSON.stringify(key)},"value":1}`);
    const r = await c.next((f) => f.type === 'result' && f.id === 1);
    expect(r).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(JSON.stringify(r)).toContain('/key');
    expect(Object.keys(h.fake.host.snapshot().app_config)).toEqual([]);
  });

  it('keeps keys that match the pattern, longest allowed included, and shows them in snapshots', async () => {
    await using h = await bridgeOverFakePlugins([]);
    await using c = await h.client();
    const long = 'k'.repeat(LIMITS.maxAppConfigKeyChars);
    for (const key of ['theme', 'ui.font-size_2', long])
      expect((await request(c, { op: 'set_app_config', key, value: key.length })).ok).toBe(true);
    const snap = await request(c, { op: 'snapshot' });
    expect(snap.ok && Object.keys((snap.value as { app_config: object }).app_config).sort()).toEqual(
      ['theme', 'ui.font-size_2', long].sort(),
    );
  });

  it('refuses a __proto__ settings key before the host sees it', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p', extra: '[settings.name]\ntype = "string"\n' }]);
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'p1' });
    c.send('{"id":2,"op":"set_settings","instance_id":"p1","settings":{"__proto__":{"polluted":true}}}');
    expect(await c.next((f) => f.type === 'result' && f.id === 2)).toMatchObject({
      ok: false,
      error: { code: 'BRIDGE_BAD_FRAME' },
    });
    expect(h.fake.driver.calls).not.toContain('p1:apply_settings');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
