import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import { PiStatus } from '../../pi-status.js';
import { MemoryAppConfig } from '../options.js';

const pending = { ok: true as const, pending: true as const };

describe('host services', () => {
  it('reads only app config keys the plugin declares, JSON-encoded', async () => {
    await using t = await fakeHost([{ id: 'a', extra: '[permissions]\napp_config = ["theme"]\n' }], {
      appConfig: new MemoryAppConfig({ theme: { dark: true }, secret: 'x' }),
    });
    const { instance_id } = await t.host.load('a');
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    expect(ctx.getAppConfig('theme')).toEqual({ status: PiStatus.OK, value: '{"dark":true}' });
    expect(ctx.getAppConfig('secret')).toEqual({ status: PiStatus.PERMISSION_DENIED, value: null });
    expect(t.logs.some((l) => l.message.includes('PERMISSION_DENIED') && l.message.includes('secret'))).toBe(
      true,
    );
    t.host.setAppConfig('theme', 'light');
    expect(ctx.getAppConfig('theme').value).toBe('"light"');
  });

  it('routes calls only to permitted plugins and refuses a cycle A → B → A', async () => {
    let innerAnswer: unknown;
    await using t = await fakeHost([
      {
        id: 'a',
        extra: '[permissions]\ncall_plugins = ["b"]\n',
        behavior: {
          handle: async (ctx, _r, m) => {
            if (m === 'go') {
              const r = await ctx.callOtherPlugin('b', 'bounce');
              return { ok: true, pending: false, reply: `b: ${r.value}` };
            }
            return { ok: true, pending: false, reply: `a got ${m}` };
          },
        },
      },
      {
        id: 'b',
        extra: '[permissions]\ncall_plugins = ["*"]\n',
        behavior: {
          handle: async (ctx, _r, m) => {
            innerAnswer = await ctx.callOtherPlugin('a', 'back');
            return { ok: true, pending: false, reply: `b got ${m}` };
          },
        },
      },
      { id: 'c' },
    ]);
    const a = await t.host.load('a');
    await t.host.load('b');
    await t.host.connect(a.instance_id);
    expect((await t.host.handleMessage(a.instance_id, 'go')).reply).toBe('b: b got bounce');
    expect(innerAnswer).toEqual({ status: PiStatus.LIMIT_EXCEEDED, value: null });
    expect(
      t.logs.some((l) => l.message.startsWith('CALL_DEPTH_EXCEEDED') && l.message.includes('a → b → a')),
    ).toBe(true);
    const ctxA = t.driver.contexts.get(a.instance_id) as FakeContext;
    expect(await ctxA.callOtherPlugin('c', 'x')).toEqual({
      status: PiStatus.PERMISSION_DENIED,
      value: null,
    });
  });

  it('refuses a chain deeper than limits.maxCallDepth', async () => {
    const answers: unknown[] = [];
    const relay = (next: string) => ({
      extra: '[permissions]\ncall_plugins = ["*"]\n',
      behavior: {
        handle: async (ctx: FakeContext, _r: number, m: string) => {
          const r = await ctx.callOtherPlugin(next, m);
          answers.push(r);
          return { ok: true as const, pending: false as const, reply: r.value };
        },
      },
    });
    await using t = await fakeHost(
      [
        { id: 'p1', ...relay('p2') },
        { id: 'p2', ...relay('p3') },
        { id: 'p3', ...relay('p4') },
        { id: 'p4' },
      ],
      {
        limits: { maxCallDepth: 3 },
      },
    );
    for (const id of ['p1', 'p2', 'p3', 'p4']) await t.host.load(id, { instanceId: id });
    await t.host.connect('p1');
    await t.host.handleMessage('p1', 'x');
    expect(answers[0]).toEqual({ status: PiStatus.LIMIT_EXCEEDED, value: null });
  });

  it('resolves a deferred reply, and times out or cancels one that never comes', async () => {
    await using t = await fakeHost([
      {
        id: 'a',
        behavior: {
          handle: (ctx, requestId, m) => {
            if (m === 'later')
              setImmediate(() =>
                ctx.emit({ kind: 'reply', requestId, status: PiStatus.OK, content: 'done' }),
              );
            return pending;
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('a');
    await t.host.connect(instance_id);
    expect((await t.host.handleMessage(instance_id, 'later')).reply).toBe('done');
    await expect(t.host.handleMessage(instance_id, 'never', { timeoutMs: 30 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const abort = new AbortController();
    const call = t.host.handleMessage(instance_id, 'never', { signal: abort.signal });
    setImmediate(() => abort.abort());
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    const statuses = t.host.instance(instance_id).history.map((h) => h.status);
    expect(statuses).toEqual(['completed', 'completed', 'completed', 'error', 'completed', 'error']);
  });

  it('gives set_history only the newest entries that fit maxSetHistoryBytes, the current message last', async () => {
    await using t = await fakeHost([{ id: 'h', requireHistory: true }], {
      limits: { maxSetHistoryBytes: 2048 },
    });
    const { instance_id } = await t.host.load('h');
    await t.host.connect(instance_id);
    for (let i = 0; i < 20; i++) await t.host.handleMessage(instance_id, `${i} ${'x'.repeat(200)}`);
    const json = (t.driver.contexts.get(instance_id) as FakeContext).history ?? '[]';
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(2048);
    const sent = JSON.parse(json) as { role: string; content: string }[];
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/^19 /) });
    expect(sent.length).toBeLessThan(39);
  });

  it('sends the history before each message, ending with that message, when require_history is set', async () => {
    await using t = await fakeHost([{ id: 'h', requireHistory: true }]);
    const { instance_id } = await t.host.load('h');
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'one');
    await t.host.handleMessage(instance_id, 'two');
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    const sent = JSON.parse(ctx.history ?? 'null') as { role: string; content: string }[];
    expect(sent.map((m) => [m.role, m.content])).toEqual([
      ['user', 'one'],
      ['plugin', 'one'],
      ['user', 'two'],
    ]);
    expect(
      t.driver.calls.filter((c) => c.endsWith('set_history') || c.endsWith('handle_message')),
    ).toHaveLength(4);
  });

  it('refuses messages over limits.maxMessageBytes', async () => {
    await using t = await fakeHost([{ id: 'a' }], { limits: { maxMessageBytes: 4 } });
    const { instance_id } = await t.host.load('a');
    await t.host.connect(instance_id);
    await expect(t.host.handleMessage(instance_id, 'hello')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('turns plugin events into validated frontend events, logs and actions', async () => {
    let frames = 0;
    await using t = await fakeHost([
      { id: 'a', behavior: { ui: () => [{ id: 'n', type: 'label', text: `frame ${++frames}` }] } },
    ]);
    const { instance_id } = await t.host.load('a');
    await t.host.connect(instance_id);
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    ctx.emit(
      { kind: 'message', messageType: 'info', content: 'note' },
      { kind: 'custom', event: 'progress', payloadJson: '{"pct":50}' },
      { kind: 'log', level: 'warn', text: 'careful' },
      { kind: 'violation', code: 'INVALID_UTF8', message: 'bad bytes' },
      { kind: 'request_refresh' },
      { kind: 'request_refresh' },
      { kind: 'request_disconnect' },
    );
    await expect.poll(() => t.host.instance(instance_id).state).toBe('disconnected');
    await t.host.refresh(instance_id);
    const names = t.recorded.events.map((e) => e.event);
    expect(names).toEqual(
      expect.arrayContaining(['plugin-message', 'plugin-custom', 'plugin-log', 'plugin-disconnect-request']),
    );
    const custom = t.recorded.events.find((e) => e.event === 'plugin-custom');
    expect(custom?.payload).toMatchObject({ event: 'progress', payload: { pct: 50 } });
    expect(frames).toBe(5); // first frame, after connect, one coalesced refresh, after the requested disconnect, the explicit refresh
    const ids = t.recorded.events.flatMap((e) =>
      e.event === 'plugin-message' ? [e.payload.message_id] : [],
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(t.logs.some((l) => l.level === 'warn' && l.message === 'careful')).toBe(true);
    expect(t.recorded.invalid).toEqual([]);
  });
});
