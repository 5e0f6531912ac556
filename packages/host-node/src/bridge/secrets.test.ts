import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { bridgeOverFakePlugins, errorOf, request } from '../../test/support/bridge/bridge-harness.js';

const KEY = 'sk-live-7f3a9c1e5b';
const BAD_KEY = 'not-a-key-4d2b8e';

const SETTINGS = [
  '[settings.api_key]',
  'type = "string"',
  'secret = true',
  'pattern = "sk-[a-z0-9-]+"',
  '[settings.model]',
  'type = "string"',
].join('\n');

/** A plugin that declares a secret and, like a careless plugin, logs and echoes it. */
const leaky = {
  id: 'llm',
  extra: SETTINGS,
  behavior: {
    handle: (ctx: import('../../test/support/fake-driver.js').FakeContext, _id: number, message: string) => {
      const key = (JSON.parse(ctx.settings ?? '{}') as { api_key?: string }).api_key ?? '';
      ctx.emit({ kind: 'log', level: 'info', text: `calling the API with ${key}` });
      return { ok: true as const, pending: false as const, reply: message };
    },
  },
};

describe('secret settings never leave through the bridge', () => {
  it('hello, snapshots, load/reload/set_settings results, events, errors and bridge logs carry the marker, never the value', async () => {
    const logs: string[] = [];
    await using h = await bridgeOverFakePlugins([leaky], { log: (line) => logs.push(line) });
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'llm', instance_id: 'a' });
    await request(c, { op: 'connect', instance_id: 'a' });

    const set = await request(c, {
      op: 'set_settings',
      instance_id: 'a',
      settings: { api_key: KEY, model: 'm1' },
    });
    expect(set).toMatchObject({ ok: true, value: { api_key: { secret: 'set' }, model: 'm1' } });
    expect(h.fake.driver.contexts.get('a')?.settings).toContain(KEY); // the plugin itself has it

    // Saving the form back with the marker keeps the key; a bad key is refused without echoing it.
    const again = await request(c, {
      op: 'set_settings',
      instance_id: 'a',
      settings: { api_key: { secret: 'set' }, model: 'm2' },
    });
    expect(again.ok).toBe(true);
    const refused = errorOf(
      await request(c, { op: 'set_settings', instance_id: 'a', settings: { api_key: BAD_KEY, model: 'm3' } }),
    );
    expect(refused.code).toBe('SETTINGS_INVALID');

    await request(c, { op: 'send_message', instance_id: 'a', message: 'hi' });
    await c.next((f) => f.type === 'event' && f.event.event === 'plugin-log');
    const snap = await request(c, { op: 'snapshot' });
    expect(snap).toMatchObject({
      ok: true,
      value: { instances: [{ instance_id: 'a', settings: { api_key: { secret: 'set' }, model: 'm2' } }] },
    });
    const reloaded = await request(c, { op: 'reload', plugin_id: 'llm' });
    expect(reloaded).toMatchObject({ ok: true, value: [{ settings: { api_key: { secret: 'set' } } }] });
    await using late = await h.client();

    const everything = [...c.frames, ...late.frames]
      .map((f: BridgeServerFrame) => JSON.stringify(f))
      .join('\n');
    expect(late.frames[0]).toMatchObject({
      type: 'hello',
      snapshot: { instances: [{ settings: { api_key: { secret: 'set' } } }] },
    });
    for (const secret of [KEY, BAD_KEY]) {
      expect(everything).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
  });
});
