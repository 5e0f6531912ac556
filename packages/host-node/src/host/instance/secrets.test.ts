import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fail } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';

const KEY = 'sk-live-0123456789abcdef';
const settingsToml = `
[settings.api_key]
type = "string"
secret = true

[settings.model]
type = "string"
default = "small"
`;

describe('secret settings leave the host only towards their plugin', () => {
  it('shows a set/unset marker in snapshot(), instance() and the setSettings result', async () => {
    await using t = await fakeHost([{ id: 'llm', extra: settingsToml }]);
    const { instance_id, settings } = await t.host.load('llm');
    expect(settings).toEqual({ api_key: { secret: 'unset' }, model: 'small' });
    const result = await t.host.setSettings(instance_id, { api_key: KEY, model: 'large' });
    expect(result).toEqual({ api_key: { secret: 'set' }, model: 'large' });
    expect(t.host.instance(instance_id).settings.api_key).toEqual({ secret: 'set' });
    expect(JSON.stringify(t.host.snapshot())).not.toContain(KEY);
    expect(JSON.stringify(t.recorded.events)).not.toContain(KEY);
    // The plugin itself gets the value.
    expect((t.driver.contexts.get(instance_id) as FakeContext).settings).toContain(KEY);
  });

  it('keeps the secret when a form sends its set marker back unchanged', async () => {
    await using t = await fakeHost([{ id: 'llm', extra: settingsToml }]);
    const { instance_id } = await t.host.load('llm', { settings: { api_key: KEY } });
    await t.host.setSettings(instance_id, { api_key: { secret: 'set' }, model: 'large' });
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    expect(JSON.parse(ctx.settings ?? '{}')).toEqual({ api_key: KEY, model: 'large' });
  });

  it('removes the value from plugin log lines before they reach the host log or the frontend', async () => {
    await using t = await fakeHost([
      {
        id: 'llm',
        extra: settingsToml,
        behavior: {
          lifecycle: (ctx, entry) => {
            if (entry === 'on_mount') ctx.emit({ kind: 'log', level: 'info', text: `using key ${KEY}` });
            return { ok: true };
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('llm', { settings: { api_key: KEY } });
    await expect.poll(() => t.logs.some((l) => l.message.startsWith('using key'))).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(KEY);
    expect(JSON.stringify(t.recorded.events)).not.toContain(KEY);
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    expect(ctx.meta.settingsJson).toContain(KEY);
  });
  it('removes the value from errors a plugin returns: the caller, plugin-reply, history, status and logs', async () => {
    await using t = await fakeHost([
      {
        id: 'llm',
        extra: settingsToml,
        behavior: {
          handle: () => fail(`upstream refused key ${KEY}`),
          lifecycle: (_ctx, entry) => (entry === 'on_disconnect' ? fail(`bad key ${KEY}`) : { ok: true }),
        },
      },
    ]);
    const { instance_id } = await t.host.load('llm', { settings: { api_key: KEY } });
    await t.host.connect(instance_id);
    const err = await t.host.handleMessage(instance_id, 'hi').catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('upstream refused key [secret]');
    await expect(t.host.disconnect(instance_id)).rejects.toBeDefined();
    expect(t.host.instance(instance_id).error?.message).toContain('bad key [secret]');
    expect(JSON.stringify(t.recorded.events)).not.toContain(KEY);
    expect(JSON.stringify(t.host.snapshot())).not.toContain(KEY);
    expect(JSON.stringify(t.logs)).not.toContain(KEY);
  });
});
