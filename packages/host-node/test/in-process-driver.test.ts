import type { UiNode } from '@plugin-interfaces/spec';
import { LIMITS } from '@plugin-interfaces/spec';
import { describe, expect, inject, it } from 'vitest';
import { InProcessDriver } from '../src/driver/in-process/index.js';
import type { PluginEvent } from '../src/driver/types.js';
import { PiStatus } from '../src/generated/abi.js';
import { meta, recordingHooks } from './support/driver-hooks.js';

const fx = inject('nativeFixtures');

async function setup(options = {}) {
  const driver = new InProcessDriver(options);
  const rec = recordingHooks();
  const lib = await driver.loadLibrary(fx.good!, rec.hooks);
  const inst = await lib.createInstance(meta(fx.good!));
  return { driver, inst, ...rec };
}

const ended = (e: PluginEvent[]) => e.some((x) => x.kind === 'stream_end');

describe('streams from plugin threads', () => {
  it('delivers 100k chunks from a pthread in order without loss', async () => {
    const { driver, inst, events, until } = await setup();
    await using _ = driver;
    await inst.handleMessage(1, 'stream:100000');
    await until(ended, 30_000);
    const data = events.filter((e) => e.kind === 'stream_data');
    expect(data.length).toBe(100_000);
    expect(data.every((e, i) => e.kind === 'stream_data' && e.seq === i && e.chunk === `c${i}`)).toBe(true);
    const stats = await inst.handleMessage(2, 'join');
    expect(stats.ok && !stats.pending && stats.reply).toMatch(/^bp=\d+ waits=\d+$/);
  });

  it('applies backpressure when the host does not grant credit', async () => {
    const { driver, inst, events, until } = await setup({ autoCredit: false, creditWindow: 8 });
    await using _ = driver;
    await inst.handleMessage(1, 'stream:20');
    await until((e) => e.filter((x) => x.kind === 'stream_data').length === 8);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((x) => x.kind === 'stream_data').length).toBe(8);
    const id = `${inst.instanceId}/s1`;
    while (!ended(events)) {
      const seen = events.length;
      inst.grantCredit(id, 8);
      await until((e) => e.length > seen);
    }
    expect(events.filter((x) => x.kind === 'stream_data').length).toBe(20);
    const stats = await inst.handleMessage(2, 'join');
    expect(stats.ok && !stats.pending && stats.reply).toMatch(/^bp=[1-9]\d* /);
  });

  it('pauses, resumes and cancels from the user side and tells the plugin', async () => {
    const { driver, inst, events, until } = await setup({ autoCredit: false, creditWindow: 4 });
    await using _ = driver;
    await inst.handleMessage(1, 'stream:1000');
    await until((e) => e.filter((x) => x.kind === 'stream_data').length === 4);
    const id = `${inst.instanceId}/s1`;
    expect(await inst.controlStream(id, 'pause')).toEqual({ ok: true });
    expect(await inst.controlStream(id, 'pause')).toMatchObject({ ok: false });
    expect(await inst.controlStream(id, 'resume')).toEqual({ ok: true });
    expect(await inst.controlStream(id, 'cancel')).toEqual({ ok: true });
    await inst.handleMessage(2, 'join'); // the producer saw CANCELLED and stopped
    const kinds = events.filter((e) => e.kind !== 'stream_data' && e.kind !== 'log').map((e) => e.kind);
    expect(kinds).toEqual(['stream_start', 'stream_pause', 'stream_resume', 'stream_cancel']);
    expect(events).toContainEqual({ kind: 'stream_cancel', streamId: id, by: 'user' });
    expect(events).toContainEqual({ kind: 'log', level: 'debug', text: 'control 1 3' });
    expect(await inst.controlStream('nope/s9', 'cancel')).toMatchObject({ ok: false });
  });
});

const ids = (nodes: readonly UiNode[]): string[] =>
  nodes.flatMap((n) =>
    n.type === 'horizontal' || n.type === 'vertical' ? [n.id, ...ids(n.children)] : [n.id],
  );

describe('stream statuses and deferred replies the plugin sees', () => {
  const reply = async (inst: Awaited<ReturnType<typeof setup>>['inst'], id: number, m: string) => {
    const out = await inst.handleMessage(id, m);
    if (!out.ok || out.pending) throw new Error(`no reply to ${m}`);
    return out.reply;
  };

  it('stream_data tells a paused stream (BACKPRESSURE: wait) from an ended one (INVALID_STATE) and a cancelled one', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const [opened, handle] = (await reply(inst, 1, 'sopen'))!.split(' ');
    expect(opened).toBe(String(PiStatus.OK));
    const streamId = events.find((e) => e.kind === 'stream_start')?.streamId;
    if (streamId === undefined) throw new Error('no stream_start');
    expect(await reply(inst, 2, `sdata:${handle}`)).toBe(String(PiStatus.OK));
    expect(await inst.controlStream(streamId, 'pause')).toMatchObject({ ok: true });
    expect(await reply(inst, 3, `sdata:${handle}`)).toBe(String(PiStatus.BACKPRESSURE));
    // On the host thread stream_wait never blocks: BACKPRESSURE says it would have to (no 10 s wait).
    const t0 = Date.now();
    expect(await reply(inst, 4, `swait:${handle}`)).toBe(String(PiStatus.BACKPRESSURE));
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await inst.controlStream(streamId, 'resume')).toMatchObject({ ok: true });
    expect(await reply(inst, 5, `swait:${handle}`)).toBe(String(PiStatus.OK));
    expect(await reply(inst, 6, `send:${handle}`)).toBe(String(PiStatus.OK));
    expect(await reply(inst, 7, `sdata:${handle}`)).toBe(String(PiStatus.INVALID_STATE));
    const [, second] = (await reply(inst, 8, 'sopen'))!.split(' ');
    const secondId = events.filter((e) => e.kind === 'stream_start')[1]?.streamId;
    expect(await inst.controlStream(secondId!, 'cancel')).toMatchObject({ ok: true });
    expect(await reply(inst, 9, `sdata:${second}`)).toBe(String(PiStatus.CANCELLED));
    expect(events.filter((e) => e.kind === 'violation')).toEqual([]);
  });

  it.each([
    ['utf8', PiStatus.INVALID_ARGUMENT, 'not valid UTF-8'],
    ['huge', PiStatus.LIMIT_EXCEEDED, 'larger than'],
  ])(
    'a deferred reply refused for %s still answers its request at once, with the reason; a second reply is NOT_FOUND',
    async (kind, status, why) => {
      const { driver, inst, events, until } = await setup();
      await using _ = driver;
      expect(await inst.handleMessage(1, `pending-bad:${kind}`)).toMatchObject({ ok: true, pending: true });
      await until((e) => e.some((x) => x.kind === 'message' && x.content.startsWith('bad-reply')));
      expect(events).toContainEqual({
        kind: 'reply',
        requestId: 1,
        status,
        content: expect.stringContaining(why),
      });
      expect(events).toContainEqual({
        kind: 'message',
        messageType: 'info',
        content: `bad-reply ${status} ${PiStatus.NOT_FOUND}`,
      });
    },
  );

  it('stream_start past LIMITS.maxOpenStreams open streams is LIMIT_EXCEEDED until one ends', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const handles: string[] = [];
    for (let i = 0; i < LIMITS.maxOpenStreams; i++) {
      const [st, h] = (await reply(inst, i + 1, 'sopen'))!.split(' ');
      expect(st).toBe(String(PiStatus.OK));
      handles.push(h!);
    }
    expect((await reply(inst, 1000, 'sopen'))!.split(' ')[0]).toBe(String(PiStatus.LIMIT_EXCEEDED));
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'violation',
        message: expect.stringContaining('too many open streams'),
      }),
    );
    expect(await reply(inst, 1001, `send:${handles[0]}`)).toBe(String(PiStatus.OK));
    expect((await reply(inst, 1002, 'sopen'))!.split(' ')[0]).toBe(String(PiStatus.OK));
  });

  it('a reply to a request that never went PENDING is NOT_FOUND', async () => {
    const { driver, inst } = await setup();
    await using _ = driver;
    expect(await reply(inst, 1, 'reply-unknown')).toBe(String(PiStatus.NOT_FOUND));
  });
});

describe('UI frames', () => {
  it('records every widget with stable, scoped ids', async () => {
    const { driver, inst } = await setup();
    await using _ = driver;
    const a = await inst.updateUi([]);
    const b = await inst.updateUi([]);
    expect(a).toEqual(b);
    if (!a.ok) throw new Error(a.message);
    expect(ids(a.tree)).toEqual([
      'heading:Demo',
      'label:Hello',
      'separator',
      'button:Send greeting',
      'button:Send greeting#2',
      'go',
      'text_edit:Your name',
      'key',
      'combo_box:Colour',
      'toggle:Enabled',
      'horizontal',
      'button:Send greeting#3',
      'row1/button:Delete',
      'row2/button:Delete',
    ]);
    expect(a.tree[7]).toEqual({
      id: 'key',
      type: 'text_edit',
      value: '',
      hint: 'API key',
      password: true,
      multiline: true,
      enabled: true,
    });
    expect(a.tree[5]).toMatchObject({ type: 'button', enabled: false });
  });

  it('feeds UI events back as widget return values', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const f = await inst.updateUi([
      { widget_id: 'button:Send greeting#2', kind: 'click' },
      { widget_id: 'text_edit:Your name', kind: 'text', value: 'Ada ✓' },
      { widget_id: 'combo_box:Colour', kind: 'select', value: 2 },
      { widget_id: 'toggle:Enabled', kind: 'toggle', value: true },
      { widget_id: 'ghost', kind: 'click' },
    ]);
    expect(f.ok).toBe(true);
    expect(await inst.handleMessage(1, 'state')).toEqual({
      ok: true,
      pending: false,
      reply: 'name=Ada ✓ selected=2 enabled=1',
    });
    expect(events).toContainEqual({ kind: 'message', messageType: 'normal', content: 'second greeting' });
    expect(events.some((e) => e.kind === 'message' && e.content === 'greeting sent')).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'violation', code: 'UI_EVENT_INVALID' }));
  });

  it.each([
    ['deep', 'deeper than 32'],
    ['huge', 'more than 5000'],
    ['unbalanced', 'not closed'],
    ['popless', 'push_id without pop_id'],
    ['extra-pop', 'pop_id without push_id'],
    ['dup', 'two widgets have the id "x"'],
    ['longtext', 'longer than 65536'],
  ])('fails a %s frame with UI_TREE_INVALID and keeps the previous tree', async (mode, text) => {
    const { driver, inst } = await setup();
    await using _ = driver;
    const good = await inst.updateUi([]);
    await inst.handleMessage(1, `ui:${mode}`);
    await expect(inst.updateUi([])).rejects.toMatchObject({
      code: 'UI_TREE_INVALID',
      message: expect.stringContaining(text),
    });
    expect(good.ok && inst.lastTree).toEqual(good.ok && good.tree);
  });

  it('keeps every widget id when rows, groups and labels are inserted before and around it', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    const before = await inst.updateUi([]);
    if (!before.ok) throw new Error(before.message);
    await inst.handleMessage(1, 'ui:inserted');
    const after = await inst.updateUi([]);
    if (!after.ok) throw new Error(after.message);
    const added = ids(after.tree).filter((id) => !ids(before.tree).includes(id));
    // Every old widget id is still there; only the inserted widgets and the group ids are new.
    expect(ids(after.tree)).toEqual(
      expect.arrayContaining(ids(before.tree).filter((id) => !/^(horizontal|vertical)/.test(id))),
    );
    expect(added).toEqual(
      expect.arrayContaining(['label:Inserted first', 'button:Extra', 'extra-edit', 'label:Another row']),
    );
    expect(ids(after.tree)).toContain('extra-edit'); // an explicit id inside a row is not prefixed
    // A click addressed by the id of the frame before the insertion reaches the same button.
    const f = await inst.updateUi([{ widget_id: 'button:Send greeting#3', kind: 'click' }]);
    expect(f.ok).toBe(true);
    expect(events).toContainEqual({ kind: 'message', messageType: 'normal', content: 'row greeting' });
    expect(events.filter((e) => e.kind === 'violation')).toEqual([]);
  });

  it('accepts __proto__ and constructor as ordinary ids', async () => {
    const { driver, inst, events } = await setup();
    await using _ = driver;
    await inst.handleMessage(1, 'ui:proto');
    const f = await inst.updateUi([{ widget_id: '__proto__', kind: 'click' }]);
    expect(f.ok && ids(f.tree)).toEqual(['__proto__', 'constructor']);
    expect(events.filter((e) => e.kind === 'violation')).toEqual([]);
  });
});
