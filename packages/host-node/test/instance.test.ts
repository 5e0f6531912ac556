import { LIMITS } from '@plugin-interfaces/spec';
import { describe, expect, inject, it } from 'vitest';
import { InProcessDriver } from '../src/driver/in-process/index.js';
import { PiStatus } from '../src/generated/abi.js';
import { meta, recordingHooks } from './support/driver-hooks.js';

const fx = inject('nativeFixtures');

async function setup(answers?: Parameters<typeof recordingHooks>[0], options = {}) {
  const driver = new InProcessDriver(options);
  const rec = recordingHooks(answers);
  const lib = await driver.loadLibrary(fx.good!, rec.hooks);
  const inst = await lib.createInstance(meta(fx.good!));
  return { driver, lib, inst, ...rec };
}

describe('in-process instances', () => {
  it('runs lifecycle entries and delivers the events they produce in order', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    expect(await inst.lifecycle('on_mount')).toEqual({ ok: true });
    expect(await inst.lifecycle('on_connect')).toEqual({ ok: true });
    expect(await inst.lifecycle('on_dispose')).toEqual({ ok: true }); // not implemented: nothing to do
    expect(events).toEqual([
      { kind: 'log', level: 'info', text: 'mounted' },
      { kind: 'message', messageType: 'success', content: 'connected' },
    ]);
  });

  it('keeps a bounded record of ended streams: recent ones answer exactly, older ones as ended', async () => {
    const { driver, inst } = await setup();
    await using _ = driver;
    const reply = async (m: string) => ((await inst.handleMessage(1, m)) as { reply: string }).reply;
    const openCancelled = async () => {
      const handle = (await reply('sopen')).split(' ')[1] as string;
      expect(await inst.controlStream(`${inst.instanceId}/s${handle}`, 'cancel')).toEqual({ ok: true });
      return handle;
    };
    const first = await openCancelled();
    expect(Number(await reply(`sdata:${first}`))).toBe(PiStatus.CANCELLED);
    // Many more streams start and end: the runtime keeps only the newest ended outcomes.
    for (let i = 0; i < LIMITS.runtimeEndedStreams + 10; i++) {
      const handle = (await reply('sopen')).split(' ')[1];
      expect(Number(await reply(`send:${handle}`))).toBe(PiStatus.OK);
    }
    expect(Number(await reply(`sdata:${first}`))).toBe(PiStatus.INVALID_STATE);
    const recent = await openCancelled();
    expect(Number(await reply(`sdata:${recent}`))).toBe(PiStatus.CANCELLED);
    expect(Number(await reply(`sdata:${Number(recent) + 1}`))).toBe(PiStatus.NOT_FOUND); // never issued
    expect(Number(await reply('sdata:0'))).toBe(PiStatus.NOT_FOUND);
  });

  it('calls every fire-and-forget host API and enforces the stream state machine', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const r = await inst.handleMessage(7, 'all');
    expect(r).toEqual({
      ok: true,
      pending: false,
      reply: `paused=${PiStatus.BACKPRESSURE} ended=${PiStatus.INVALID_STATE} wait=${PiStatus.INVALID_STATE}`,
    });
    const s = `${inst.instanceId}/s1`;
    expect(events.filter((e) => e.kind !== 'violation')).toEqual([
      ...['normal', 'success', 'warning', 'error', 'info'].map((t) => ({
        kind: 'message',
        messageType: t,
        content: 'note',
      })),
      { kind: 'log', level: 'warn', text: 'careful' },
      { kind: 'custom', event: 'demo.event', payloadJson: '{"n":[1,2.5e3,true,null,"x"]}' },
      { kind: 'request_refresh' },
      { kind: 'request_disconnect' },
      { kind: 'stream_start', streamId: s, title: null },
      { kind: 'stream_data', streamId: s, chunk: 'a', seq: 0 },
      { kind: 'stream_pause', streamId: s },
      { kind: 'stream_resume', streamId: s },
      { kind: 'stream_data', streamId: s, chunk: 'c', seq: 1 },
      { kind: 'stream_end', streamId: s, success: false, error: 'boom' },
    ]);
    // stream_wait on the host thread is defined (it never blocks), so nothing here is a violation.
    expect(events.filter((e) => e.kind === 'violation')).toEqual([]);
  });

  it('refuses invalid UTF-8, invalid JSON, bad event names and NULL with violations', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const r = await inst.handleMessage(1, 'bad-input');
    const bad = PiStatus.INVALID_ARGUMENT;
    expect(r).toEqual({ ok: true, pending: false, reply: `${bad} ${bad} ${bad} ${bad} ${bad}` });
    expect(events.map((e) => (e.kind === 'violation' ? e.code : e.kind))).toEqual([
      'INVALID_UTF8',
      'INVALID_JSON',
      'PLUGIN_CALL_FAILED',
      'PLUGIN_CALL_FAILED',
      'INVALID_UTF8',
    ]);
  });

  it('turns garbage from the plugin into typed failures', async () => {
    const { driver, inst } = await setup();
    await using _ = driver;
    await expect(inst.handleMessage(1, 'bad-reply')).rejects.toMatchObject({
      code: 'INVALID_UTF8',
      message: expect.stringContaining('is not valid UTF-8'),
    });
    expect(await inst.handleMessage(1, 'bad-status')).toMatchObject({
      ok: false,
      status: PiStatus.INTERNAL,
      message: expect.stringContaining('42'),
    });
    expect(await inst.handleMessage(1, 'fail')).toEqual({
      ok: false,
      status: PiStatus.ERROR,
      message: 'it failed on purpose',
      detailJson: '{"why":"test"}',
      retryable: true,
    });
    expect(await inst.sendJson('set_history', 'x')).toMatchObject({
      ok: false,
      status: PiStatus.INVALID_ARGUMENT,
      message: 'not JSON',
    });
    expect(await inst.sendJson('apply_settings', '{}')).toEqual({ ok: true });
  });

  it('answers PENDING messages later through a reply event', async () => {
    const { driver, inst, until, events } = await setup();
    await using _ = driver;
    expect(await inst.handleMessage(42, 'pending')).toEqual({ ok: true, pending: true });
    await until((e) => e.some((x) => x.kind === 'reply'));
    expect(events).toContainEqual({ kind: 'reply', requestId: 42, status: PiStatus.OK, content: 'later' });
  });

  it('answers blocking requests on the host thread and from plugin threads', async () => {
    const { driver, inst, until, events } = await setup({
      callOtherPlugin: async (_i, target, msg) => ({ status: PiStatus.OK, value: `${target}:${msg}` }),
    });
    await using _ = driver;
    expect(await inst.handleMessage(1, 'config:theme')).toEqual({
      ok: true,
      pending: false,
      reply: '0 value-of-theme',
    });
    // An asynchronous answer on the host thread cannot be waited for: INVALID_STATE and a violation.
    expect(await inst.handleMessage(2, 'call:other')).toEqual({
      ok: true,
      pending: false,
      reply: `${PiStatus.INVALID_STATE} (null)`,
    });
    expect(events.some((e) => e.kind === 'violation' && e.message.includes('plugin thread'))).toBe(true);
    await inst.handleMessage(3, 'config-thread:lang');
    await until((e) => e.some((x) => x.kind === 'message' && x.content.startsWith('config ')));
    await inst.handleMessage(4, 'call-thread:peer');
    await until((e) => e.some((x) => x.kind === 'message' && x.content.startsWith('call ')));
    expect(events.filter((e) => e.kind === 'message').map((e) => e.kind === 'message' && e.content)).toEqual([
      'config 0 value-of-lang',
      'call 0 peer:ping',
    ]);
  });

  it('refuses calls after destroy', async () => {
    const { driver, inst } = await setup();
    await using _ = driver;
    await inst.destroy();
    await expect(inst.handleMessage(1, 'echo:x')).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
  });

  it('answers CLOSED to a lingering plugin thread after destroy and stays alive', async () => {
    await using driver = new InProcessDriver();
    const rec = recordingHooks();
    const lib = await driver.loadLibrary(fx.linger!, rec.hooks);
    const inst = await lib.createInstance(meta(fx.linger!));
    await rec.until((e) => e.some((x) => x.kind === 'log'));
    await inst.destroy();
    const seen = lib.nativeHandle.func('int linger_closed_seen(void)') as () => number;
    const deadline = Date.now() + 2000;
    while (seen() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(seen()).toBe(1);
    await lib.close();
  });
});
