import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import { PiStatus } from '../../pi-status.js';

const caller = (calls: string) => ({ id: 'a', extra: `[permissions]\ncall_plugins = [${calls}]\n` });

/** Two connected instances, a (caller) and b (target), and a's plugin-side context. */
async function pair(calls: string, targetExtra = '') {
  const t = await fakeHost([caller(calls), { id: 'b', extra: targetExtra }]);
  const a = await t.host.load('a', { instanceId: 'a1' });
  const b = await t.host.load('b', { instanceId: 'b1' });
  await t.host.connect(a.instance_id);
  await t.host.connect(b.instance_id);
  const ctx = t.driver.contexts.get('a1') as FakeContext;
  const targetHistory = () => t.host.instance('b1').history.length;
  return { t, ctx, targetHistory };
}

describe('call_other_plugin: checks before delivery', () => {
  it('answers PERMISSION_DENIED synchronously on any thread, and the target never receives it', async () => {
    const { t, ctx, targetHistory } = await pair('"c"');
    await using _ = t;
    const raw = ctx.callOtherPluginRaw('b', 'hello');
    expect(raw).toEqual({ status: PiStatus.PERMISSION_DENIED, value: null });
    expect(await ctx.callOtherPlugin('b', 'hello')).toMatchObject({ status: PiStatus.PERMISSION_DENIED });
    expect(targetHistory()).toBe(0);
    expect(t.driver.calls.filter((c) => c.startsWith('b1:handle_message'))).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown target and LIMIT_EXCEEDED for a cycle, synchronously', async () => {
    const { t, ctx } = await pair('"*"');
    await using _ = t;
    expect(ctx.callOtherPluginRaw('nobody', 'x')).toEqual({ status: PiStatus.NOT_FOUND, value: null });
    expect(ctx.callOtherPluginRaw('a', 'x')).toEqual({ status: PiStatus.LIMIT_EXCEEDED, value: null });
  });

  it('never delivers an allowed call the driver could not wait for (made on the host thread)', async () => {
    const { t, ctx, targetHistory } = await pair('"b"');
    await using _ = t;
    const raw = ctx.callOtherPluginRaw('b', 'dropped');
    // What the in-process driver does on the event-loop thread: it cannot wait, so it only
    // attaches a rejection handler and answers INVALID_STATE itself.
    expect(raw).toBeInstanceOf(Promise);
    (raw as Promise<unknown>).catch(() => undefined);
    // A later call that is waited for goes through the same target: had the first been
    // delivered, it would be in the target's history before this one.
    expect(await ctx.callOtherPlugin('b', 'ping')).toEqual({ status: PiStatus.OK, value: 'ping' });
    expect(targetHistory()).toBe(2);
    expect(t.host.instance('b1').history.map((h) => h.content)).toEqual(['ping', 'ping']);
    expect(t.driver.calls.filter((c) => c === 'b1:handle_message')).toHaveLength(1);
  });

  it('delivers an allowed call once the driver waits for the answer', async () => {
    const { t, ctx, targetHistory } = await pair('"b"');
    await using _ = t;
    expect(await ctx.callOtherPlugin('b', 'ping')).toEqual({ status: PiStatus.OK, value: 'ping' });
    expect(targetHistory()).toBe(2);
  });

  it('refuses a call to a target that cannot take messages with INVALID_STATE before delivery', async () => {
    const { t, ctx } = await pair('"b"');
    await using _ = t;
    await t.host.disconnect('b1');
    await t.host.unload('b1');
    await t.host.load('b', { instanceId: 'b2' });
    expect(t.host.instance('b2').state).toBe('mounted');
    expect(ctx.callOtherPluginRaw('b2', 'x')).toBeInstanceOf(Promise);
    // A disconnected target is found but refused at once.
    await t.host.connect('b2');
    await t.host.disconnect('b2');
    expect(ctx.callOtherPluginRaw('b2', 'x')).toEqual({ status: PiStatus.INVALID_STATE, value: null });
  });
});
