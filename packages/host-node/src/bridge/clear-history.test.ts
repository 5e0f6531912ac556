import type { BridgeServerFrame, Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { bridgeOverFakePlugins, errorOf, request } from '../../test/support/bridge/bridge-harness.js';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { createBridgeServer } from './server.js';

const clearedEvent = (f: BridgeServerFrame) =>
  f.type === 'event' && f.event.event === 'plugin-history-cleared';

describe('clear_history through the bridge', () => {
  it('empties the history, every client hears plugin-history-cleared, and a new client sees it empty', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p' }]);
    await using a = await h.client();
    await using b = await h.client();
    await request(a, { op: 'load', plugin_id: 'p', instance_id: 'i' });
    await request(a, { op: 'connect', instance_id: 'i' });
    await request(a, { op: 'send_message', instance_id: 'i', message: 'hello' });

    expect(await request(a, { op: 'clear_history', instance_id: 'i' })).toMatchObject({
      ok: true,
      value: null,
    });

    for (const c of [a, b])
      expect(await c.next(clearedEvent)).toMatchObject({
        event: { payload: { plugin_id: 'p', instance_id: 'i' } },
      });
    await using fresh = await h.client();
    const hello = fresh.frames.find((f) => f.type === 'hello') as { snapshot: Snapshot };
    expect(hello.snapshot.instances.find((i) => i.instance_id === 'i')?.history).toEqual([]);
  });

  it('a bad instance id fails that request only, with PLUGIN_NOT_FOUND; the connection keeps serving', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p' }]);
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'i' });
    const [bad, good] = await Promise.all([
      request(c, { op: 'clear_history', instance_id: 'nope' }),
      request(c, { op: 'clear_history', instance_id: 'i' }),
    ]);
    expect(errorOf(bad).code).toBe('PLUGIN_NOT_FOUND');
    expect(errorOf(bad).message).toContain('"nope"');
    expect(good.ok).toBe(true);
    expect(c.frames.filter(clearedEvent)).toHaveLength(1);
    expect((await request(c, { op: 'snapshot' })).ok).toBe(true);
  });

  it('a host without clearHistory refuses with UNSUPPORTED', async () => {
    await using bridge = await createBridgeServer({ host: new FakeHost() });
    await using c = await openClient(`${bridge.url}?token=${bridge.token}`);
    await c.next((f) => f.type === 'hello');
    expect(errorOf(await request(c, { op: 'clear_history', instance_id: 'i' })).code).toBe('UNSUPPORTED');
  });
});
