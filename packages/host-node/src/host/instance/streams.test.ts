import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import { InstanceStreams } from './streams.js';

const settingsToml = `
[settings.model]
type = "select"
options = ["small", "large"]
default = "small"

[settings.temperature]
type = "number"
min = 0
max = 2
`;

describe('streams, UI events, settings and the event iterator', () => {
  it('mirrors stream events into snapshot, history and credit', async () => {
    await using t = await fakeHost([{ id: 's' }]);
    const { instance_id } = await t.host.load('s');
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    ctx.emit(
      { kind: 'stream_start', streamId: 'st1', title: 'T' },
      { kind: 'stream_data', streamId: 'st1', chunk: 'a', seq: 0 },
      { kind: 'stream_data', streamId: 'st1', chunk: 'b', seq: 1 },
      { kind: 'stream_end', streamId: 'st1', success: true, error: null },
    );
    await expect.poll(() => t.host.instance(instance_id).streams[0]?.state).toBe('completed');
    expect(t.host.instance(instance_id).streams[0]).toEqual({
      stream_id: 'st1',
      state: 'completed',
      content: 'ab',
      title: 'T',
      error: null,
    });
    expect(t.host.instance(instance_id).history.at(-1)).toMatchObject({
      type: 'streaming',
      status: 'completed',
      content: 'ab',
    });
    await expect.poll(() => t.driver.credit.reduce((n, c) => n + c.chunks, 0)).toBe(2);
    expect(t.recorded.invalid).toEqual([]);
  });

  it('holds credit until a lagging events() consumer takes the chunk', async () => {
    await using t = await fakeHost([{ id: 's' }]);
    const { instance_id } = await t.host.load('s');
    const it = t.host.events();
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    ctx.emit(
      { kind: 'stream_start', streamId: 'x', title: null },
      { kind: 'stream_data', streamId: 'x', chunk: 'c', seq: 0 },
    );
    await expect.poll(() => t.host.instance(instance_id).streams[0]?.content).toBe('c');
    // Everything the host does for the chunk has run (its microtasks and one turn of the loop).
    await new Promise((r) => setImmediate(r));
    expect(t.driver.credit).toEqual([]);
    for (;;) {
      const { value } = await it.next();
      if (value?.event === 'plugin-stream' && value.payload.type === 'stream_data') break;
    }
    await expect.poll(() => t.driver.credit).toEqual([{ instanceId: instance_id, streamId: 'x', chunks: 1 }]);
    await it.return?.();
  });

  it('drops the oldest events of a full iterator and counts them', async () => {
    await using t = await fakeHost([{ id: 's' }]);
    const { instance_id } = await t.host.load('s');
    const it = t.host.events({ bufferSize: 2 });
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    ctx.emit(
      ...['1', '2', '3', '4'].map((content) => ({
        kind: 'message' as const,
        messageType: 'normal' as const,
        content,
      })),
    );
    await expect.poll(() => it.dropped).toBe(2);
    const got: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { value } = await it.next();
      if (value?.event === 'plugin-message') got.push(value.payload.content);
    }
    expect(got).toEqual(['3', '4']);
    await t.host.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('controls a stream in the driver and reports the control once', async () => {
    await using t = await fakeHost([{ id: 's' }]);
    const { instance_id } = await t.host.load('s');
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    ctx.emit({ kind: 'stream_start', streamId: 'x', title: null });
    await expect.poll(() => t.host.instance(instance_id).streams.length).toBe(1);
    await t.host.controlStream(instance_id, 'x', 'pause');
    ctx.emit({ kind: 'stream_pause', streamId: 'x' }); // the driver echoing it must not double-report
    await t.host.controlStream(instance_id, 'x', 'cancel');
    await expect
      .poll(() => t.recorded.events.filter((e) => e.event === 'plugin-stream').length)
      .toBeGreaterThanOrEqual(3);
    expect(t.driver.calls.filter((c) => c.includes('stream_control'))).toEqual([
      `${instance_id}:stream_control:pause`,
      `${instance_id}:stream_control:cancel`,
    ]);
    const types = t.recorded.events.flatMap((e) => (e.event === 'plugin-stream' ? [e.payload.type] : []));
    expect(types).toEqual(['stream_start', 'stream_pause', 'stream_cancel']);
    await expect(t.host.controlStream(instance_id, 'nope', 'pause')).rejects.toMatchObject({
      code: 'STREAM_STATE',
    });
  });

  it('feeds a UI event into the next frame and refuses unknown widgets', async () => {
    const seen: unknown[] = [];
    await using t = await fakeHost([
      {
        id: 'u',
        behavior: {
          ui: (_ctx, events) => {
            seen.push(events);
            return [{ id: 'go', type: 'button', text: 'Go', enabled: true }];
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('u');
    await t.host.dispatchUiEvent(instance_id, { widget_id: 'go', kind: 'click' });
    expect(seen).toEqual([[], [{ widget_id: 'go', kind: 'click' }]]);
    await expect(
      t.host.dispatchUiEvent(instance_id, { widget_id: 'gone', kind: 'click' }),
    ).rejects.toMatchObject({
      code: 'UI_EVENT_INVALID',
    });
    const bad = { widget_id: 'go', kind: 'explode' } as unknown as Parameters<
      typeof t.host.dispatchUiEvent
    >[1];
    await expect(t.host.dispatchUiEvent(instance_id, bad)).rejects.toMatchObject({
      code: 'UI_EVENT_INVALID',
    });
    expect(t.host.instance(instance_id).revision).toBe(2);
  });

  it('validates settings at load and on setSettings, then applies them', async () => {
    await using t = await fakeHost([{ id: 'cfg', extra: settingsToml }]);
    await expect(t.host.load('cfg', { settings: { model: 'huge' } })).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
    });
    const info = await t.host.load('cfg', { settings: { temperature: 1 } });
    expect(info.settings).toEqual({ model: 'small', temperature: 1 });
    const err = await t.host
      .setSettings(info.instance_id, { temperature: 5, color: 'red' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SETTINGS_INVALID' });
    expect(
      (err as { detail: { problems: { key: string }[] } }).detail.problems.map((p) => p.key).sort(),
    ).toEqual(['color', 'temperature']);
    await t.host.setSettings(info.instance_id, { model: 'large' });
    const ctx = t.driver.contexts.get(info.instance_id) as FakeContext;
    expect(JSON.parse(ctx.settings ?? '{}')).toEqual({ model: 'large' });
    expect(t.host.snapshot().instances[0]?.settings).toEqual({ model: 'large' });
  });
});

describe('the kept text of a stream', () => {
  it('an ended stream keeps its text as one string, the same bytes, and takes no more chunks', () => {
    const streams = new InstanceStreams(64);
    const record = streams.start('s1', null);
    for (let i = 0; i < 40; i++) record.text.append(`c${i}`);
    const before = { text: record.text.text, bytes: record.text.bytes, dropped: record.text.droppedBytes };
    expect(before.bytes).toBeLessThanOrEqual(64);
    expect(before.dropped).toBeGreaterThan(0);
    expect(before.text.endsWith('c39')).toBe(true);
    expect(streams.end('s1', true, null)?.state).toBe('completed');
    expect(record.release).toBeNull();
    expect({ text: record.text.text, bytes: record.text.bytes, dropped: record.text.droppedBytes }).toEqual(
      before,
    );
    expect(record.text.append('more')).toBe(0);
    expect(record.text.text).toBe(before.text);
    // A second stream's text is its own (the settled one shares nothing with it).
    const other = streams.start('s2', null);
    other.text.append('x');
    expect(other.text.text).toBe('x');
    expect(record.text.text).toBe(before.text);
  });
});
