import { describe, expect, it } from 'vitest';
import { conformanceHost, texts } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

describe.each(MATRIX)('echo ($name)', (c) => {
  const plugins = usePlugins(c, ['echo']);

  it('answers "hi" with "Echo: hi" and records both in history', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await t.host.connect(instance_id);
    const result = await t.host.handleMessage(instance_id, 'hi');
    expect(result.reply).toBe('Echo: hi');
    const appended = t.recorded.events.filter((e) => e.event === 'plugin-history');
    expect(appended.map((e) => e.payload)).toMatchObject([{ message: { role: 'user', content: 'hi' } }]);
    const history = t.host.instance(instance_id).history.map((h) => [h.role, h.content]);
    expect(history).toEqual([
      ['user', 'hi'],
      ['plugin', 'Echo: hi'],
    ]);
    const reply = t.recorded.events.find((e) => e.event === 'plugin-reply');
    expect(reply?.payload).toMatchObject({ request_id: result.requestId, ok: true, content: 'Echo: hi' });
    expect(t.recorded.invalid).toEqual([]);
  });

  it('answers "later" asynchronously with "Echo (later): later"', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await t.host.connect(instance_id);
    expect((await t.host.handleMessage(instance_id, 'later')).reply).toBe('Echo (later): later');
  });

  it('rejects "fail" with PLUGIN_CALL_FAILED carrying the plugin message', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await t.host.connect(instance_id);
    const err = await t.host.handleMessage(instance_id, 'fail').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_CALL_FAILED' });
    expect((err as Error).message).toContain('echo refuses to echo fail');
    const reply = t.recorded.events.find((e) => e.event === 'plugin-reply');
    expect(reply?.payload).toMatchObject({ ok: false, error: { code: 'PLUGIN_CALL_FAILED' } });
  });

  it('shows heading "Echo" and counts messages in its UI, redrawn after each message', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id, tree } = await t.host.load(plugins.id('echo'));
    expect(texts(tree)).toEqual(['Echo', 'Messages: 0']);
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'one');
    await t.host.handleMessage(instance_id, 'two');
    // The host draws a new frame after each message, without the plugin asking for it.
    await expect.poll(() => texts(t.host.instance(instance_id).tree)).toContain('Messages: 2');
  });

  it('refuses a message before connect and a UI event for an unknown widget', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await expect(t.host.handleMessage(instance_id, 'hi')).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
    await expect(
      t.host.dispatchUiEvent(instance_id, { widget_id: 'nope', kind: 'click' }),
    ).rejects.toMatchObject({
      code: 'UI_EVENT_INVALID',
    });
  });

  it('runs two instances side by side and unloads cleanly', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const a = await t.host.load(plugins.id('echo'), { instanceId: 'a' });
    const b = await t.host.load(plugins.id('echo'), { instanceId: 'b' });
    await t.host.connect(a.instance_id);
    await t.host.connect(b.instance_id);
    const [ra, rb] = await Promise.all([t.host.handleMessage('a', 'x'), t.host.handleMessage('b', 'y')]);
    expect([ra.reply, rb.reply]).toEqual(['Echo: x', 'Echo: y']);
    await t.host.unload('a');
    await t.host.unload('b');
    expect(t.host.snapshot().instances).toEqual([]);
  });

  it('reloads with the same instance id and history', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    await t.host.load(plugins.id('echo'), { instanceId: 'r' });
    await t.host.connect('r');
    await t.host.handleMessage('r', 'before');
    const [info] = await t.host.reload(plugins.id('echo'));
    expect(info).toMatchObject({ instance_id: 'r', state: 'connected' });
    expect(info?.history.map((h) => h.content)).toEqual(['before', 'Echo: before']);
    expect((await t.host.handleMessage('r', 'after')).reply).toBe('Echo: after');
  });
});
