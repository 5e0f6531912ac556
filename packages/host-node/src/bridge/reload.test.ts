import { describe, expect, it } from 'vitest';
import { bridgeOverFakePlugins, errorOf, request } from '../../test/support/bridge/bridge-harness.js';

const ids = (snapshot: { instances: { instance_id: string }[] }) =>
  snapshot.instances.map((i) => i.instance_id);

describe('reload through the bridge', () => {
  it('answers reload of an unknown plugin with PLUGIN_NOT_FOUND naming it', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p' }]);
    await using c = await h.client();
    const error = errorOf(await request(c, { op: 'reload', plugin_id: 'nope' }));
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect(error.message).toContain('"nope"');
    expect((await request(c, { op: 'reload', plugin_id: 'p' })).ok).toBe(true);
  });

  it('unload sent together with a reload of its plugin: the unloaded instance does not come back', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p' }]);
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'gone' });
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'kept' });
    await request(c, { op: 'connect', instance_id: 'kept' });
    const [unloaded, reloaded] = await Promise.all([
      request(c, { op: 'unload', instance_id: 'gone' }),
      request(c, { op: 'reload', plugin_id: 'p' }),
    ]);
    expect(unloaded.ok).toBe(true);
    expect(reloaded.ok && (reloaded.value as { instance_id: string }[]).map((i) => i.instance_id)).toEqual([
      'kept',
    ]);
    expect(ids(h.fake.host.snapshot())).toEqual(['kept']);
    expect(h.fake.host.instance('kept').state).toBe('connected');
    expect(h.fake.driver.calls.filter((x) => x === 'gone:create')).toHaveLength(1);
  });

  it('reload sent before an unload of one of its instances: if the unload succeeds, the instance stays gone', async () => {
    await using h = await bridgeOverFakePlugins([{ id: 'p' }]);
    await using c = await h.client();
    await request(c, { op: 'load', plugin_id: 'p', instance_id: 'a' });
    const [reloaded, unloaded] = await Promise.all([
      request(c, { op: 'reload', plugin_id: 'p' }),
      request(c, { op: 'unload', instance_id: 'a' }),
    ]);
    expect(reloaded.ok).toBe(true);
    if (unloaded.ok) expect(ids(h.fake.host.snapshot())).toEqual([]);
    else expect(errorOf(unloaded).code).toBe('PLUGIN_NOT_FOUND');
  });
});
