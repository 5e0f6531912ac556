import { createValidator, Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { fail } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import { isHostError } from '../../errors.js';
import { assertAllowed } from './lifecycle.js';

const label = (text: string) => [{ id: 'l', type: 'label' as const, text }];

describe('PluginHost lifecycle', () => {
  it('loads with create → on_mount → first frame and reports each state', async () => {
    await using t = await fakeHost([{ id: 'a', behavior: { ui: () => label('hi') } }]);
    const info = await t.host.load('a', { instanceId: 'i1' });
    expect(info).toMatchObject({
      instance_id: 'i1',
      plugin_id: 'a',
      state: 'mounted',
      revision: 1,
      tree: label('hi'),
    });
    expect(t.driver.calls).toEqual(['i1:create', 'i1:on_mount', 'i1:update_ui']);
    await t.host.connect('i1');
    await t.host.disconnect('i1');
    await t.host.unload('i1');
    const states = t.recorded.events.flatMap((e) => (e.event === 'plugin-status' ? [e.payload.state] : []));
    expect(states).toEqual(['created', 'mounted', 'connected', 'disconnected', 'disposed', 'destroyed']);
    // connect and disconnect each draw a new frame, since the UI may show the connection state.
    expect(t.driver.calls.slice(3)).toEqual([
      'i1:on_connect',
      'i1:update_ui',
      'i1:on_disconnect',
      'i1:update_ui',
      'i1:on_dispose',
      'i1:destroy',
      'a:close',
    ]);
    expect(t.recorded.invalid).toEqual([]);
  });

  it('refuses calls out of order with LIFECYCLE_ORDER naming the instance, state and allowed calls', async () => {
    await using t = await fakeHost([{ id: 'a' }]);
    await t.host.load('a', { instanceId: 'i1' });
    const err = await t.host.handleMessage('i1', 'x').catch((e: unknown) => e);
    expect(isHostError(err, 'LIFECYCLE_ORDER')).toBe(true);
    expect(String((err as Error).message)).toMatch(/"i1".*mounted.*allowed now: connect/);
    await expect(t.host.disconnect('i1')).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
    await t.host.connect('i1');
    await expect(t.host.connect('i1')).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
  });

  it('says "connect() first" only where connecting is possible, and what to do in other states', () => {
    const who = { pluginId: 'a', id: 'i1' };
    const message = (state: Parameters<typeof assertAllowed>[0]) => {
      try {
        assertAllowed(state, 'message', who);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message('mounted')).toMatch(/connect\(\) first/);
    expect(message('destroyed')).toMatch(/destroyed; load it again/);
    expect(message('disabled')).toMatch(/disabled after repeated crashes/);
    expect(message('loading')).toMatch(/Wait for load\(\) to finish/);
    for (const state of ['destroyed', 'disabled', 'crashed', 'disposed', 'loading'] as const)
      expect(message(state)).not.toMatch(/connect\(\)/);
  });

  it('disposes and destroys after a failed on_mount and never renders', async () => {
    const behavior = {
      lifecycle: (_: unknown, e: string) => (e === 'on_mount' ? fail('no db') : { ok: true as const }),
    };
    await using t = await fakeHost([{ id: 'a', behavior }]);
    await expect(t.host.load('a', { instanceId: 'i1' })).rejects.toMatchObject({
      code: 'PLUGIN_CALL_FAILED',
    });
    expect(t.driver.calls).toEqual(['i1:create', 'i1:on_mount', 'i1:on_dispose', 'i1:destroy', 'a:close']);
    expect(t.host.snapshot().instances).toEqual([]);
    const last = t.recorded.events.at(-1);
    expect(last).toMatchObject({
      event: 'plugin-status',
      payload: { state: 'destroyed', error: { code: 'PLUGIN_CALL_FAILED' } },
    });
  });

  it('runs several instances of one plugin on one library and closes it with the last one', async () => {
    await using t = await fakeHost([{ id: 'a' }]);
    const one = await t.host.load('a');
    const two = await t.host.load('a');
    expect(one.instance_id).not.toBe(two.instance_id);
    expect(t.driver.openLibraries).toBe(1);
    await t.host.unload(one.instance_id);
    expect(t.driver.openLibraries).toBe(1);
    await t.host.unload(two.instance_id);
    expect(t.driver.openLibraries).toBe(0);
  });

  it('refuses a duplicate instance id and unknown plugins', async () => {
    await using t = await fakeHost([{ id: 'a' }]);
    await t.host.load('a', { instanceId: 'same' });
    await expect(t.host.load('a', { instanceId: 'same' })).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
    await expect(t.host.load('nope')).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
    await expect(t.host.connect('ghost')).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });

  it('serializes calls on one instance', async () => {
    let inside = 0;
    let overlap = false;
    const behavior = {
      handle: async (_: unknown, __: number, m: string) => {
        inside++;
        if (inside > 1) overlap = true;
        await new Promise((r) => setImmediate(r));
        inside--;
        return { ok: true as const, pending: false as const, reply: m };
      },
    };
    await using t = await fakeHost([{ id: 'a', behavior }]);
    await t.host.load('a', { instanceId: 'i' });
    await t.host.connect('i');
    await Promise.all([t.host.handleMessage('i', '1'), t.host.refresh('i'), t.host.handleMessage('i', '2')]);
    expect(overlap).toBe(false);
  });

  it('close() is bounded even when a plugin never finishes destroy', async () => {
    const behavior = { destroy: () => new Promise<void>(() => undefined) };
    const t = await fakeHost([{ id: 'a', behavior }], { timeouts: { close: 200 } });
    await t.host.load('a');
    const started = Date.now();
    await t.host.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(t.driver.closed).toBe(true);
    await expect(t.host.load('a')).rejects.toMatchObject({ code: 'HOST_CLOSED' });
    await t[Symbol.asyncDispose]();
  });

  it('reload re-creates instances with the same ids, history and connection', async () => {
    await using t = await fakeHost([{ id: 'a' }]);
    await t.host.load('a', { instanceId: 'i' });
    await t.host.connect('i');
    await t.host.handleMessage('i', 'hello');
    const [info] = await t.host.reload('a');
    expect(info).toMatchObject({ instance_id: 'i', state: 'connected' });
    expect(info?.history.map((h) => [h.role, h.content])).toEqual([
      ['user', 'hello'],
      ['plugin', 'hello'],
    ]);
    expect(t.driver.calls.filter((c) => c.endsWith(':close'))).toEqual(['a:close']);
  });

  it('produces a snapshot that matches the spec schema', async () => {
    await using t = await fakeHost([{ id: 'a', behavior: { ui: () => label('x') } }, { id: 'b' }]);
    await t.host.load('a', { instanceId: 'i' });
    await t.host.connect('i');
    await t.host.handleMessage('i', 'hey');
    t.host.setAppConfig('theme', 'dark');
    const snap = t.host.snapshot();
    const check = createValidator(Snapshot);
    expect(check.errors(snap)).toEqual([]);
    expect(snap.plugins.map((p) => [p.id, p.status])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
    ]);
    expect(snap.app_config).toEqual({ theme: 'dark' });
  });
});
