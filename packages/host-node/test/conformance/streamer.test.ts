import type { FrontendEventOf } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/events.js';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

type StreamEvent = FrontendEventOf<'plugin-stream'>['payload'];

describe.each(MATRIX)('streamer ($name)', (c) => {
  const plugins = usePlugins(c, ['streamer']);
  const streamEvents = (events: readonly { event: string }[]) =>
    events.flatMap((e) =>
      e.event === 'plugin-stream' ? [(e as FrontendEventOf<'plugin-stream'>).payload] : [],
    );

  it('streams 50 chunks in order and ends successfully', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    expect((await t.host.handleMessage(instance_id, 'stream 50')).reply).toBe('streaming 50 chunks');
    const end = await waitFor(() => streamEvents(t.recorded.events).find((e) => e.type === 'stream_end'));
    expect(end.data).toMatchObject({ success: true, error: null });
    const events = streamEvents(t.recorded.events);
    expect(events[0]?.type).toBe('stream_start');
    const chunks = events.flatMap((e: StreamEvent) => (e.type === 'stream_data' ? [e.data.chunk] : []));
    const first = chunks[0] === 'chunk 0\n' ? 0 : 1; // C counts from 0 or 1: either is "in order"
    expect(chunks).toEqual(Array.from({ length: 50 }, (_, i) => `chunk ${i + first}\n`));
    const [stream] = t.host.instance(instance_id).streams;
    expect(stream).toMatchObject({ state: 'completed', content: chunks.join('') });
    // The stream's history entry carries the stream id; where it sits relative to the reply
    // depends on when the plugin's thread started the stream.
    expect(t.host.instance(instance_id).history.find((h) => h.id === stream?.stream_id)).toMatchObject({
      type: 'streaming',
      status: 'completed',
      content: chunks.join(''),
    });
    expect(t.recorded.invalid).toEqual([]);
  });

  it('delivers pause, resume and cancel from the host to the plugin', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'stream 1000 20');
    const start = await waitFor(() => streamEvents(t.recorded.events).find((e) => e.type === 'stream_start'));
    const streamId = start.data.stream_id;
    await t.host.controlStream(instance_id, streamId, 'pause');
    expect(t.host.instance(instance_id).streams[0]?.state).toBe('paused');
    await t.host.controlStream(instance_id, streamId, 'resume');
    await t.host.controlStream(instance_id, streamId, 'cancel');
    const types = streamEvents(t.recorded.events).map((e) => e.type);
    expect(types.filter((x) => x !== 'stream_data')).toEqual([
      'stream_start',
      'stream_pause',
      'stream_resume',
      'stream_cancel',
    ]);
    const cancel = streamEvents(t.recorded.events).find((e) => e.type === 'stream_cancel');
    expect(cancel?.data).toMatchObject({ by: 'user' });
    expect(t.host.instance(instance_id).streams[0]?.state).toBe('cancelled');
    // Cancelled means stopped: the plugin learned it (C through on_stream_control, Rust through
    // the refused next write) and sends no more chunks.
    const dataCount = () => streamEvents(t.recorded.events).filter((e) => e.type === 'stream_data').length;
    const afterCancel = dataCount();
    await new Promise((r) => setTimeout(r, 120));
    expect(dataCount()).toBe(afterCancel);
    if (c.lang !== 'c') return; // rust-streamer implements no on_stream_control (so it logs nothing)
    const logs = () =>
      t.recorded.events
        .flatMap((e) => (e.event === 'plugin-log' ? [e.payload.message] : []))
        .filter((m) => /pause|resume|cancel/.test(m));
    await expect.poll(() => logs().length).toBeGreaterThanOrEqual(3);
  });

  it.runIf(c.lang === 'c')('ends "stream-fail 3" with the error "simulated failure"', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'stream-fail 3');
    const end = await waitFor(() => streamEvents(t.recorded.events).find((e) => e.type === 'stream_end'));
    expect(end.data).toMatchObject({ success: false, error: 'simulated failure' });
    expect(t.host.instance(instance_id).streams[0]).toMatchObject({
      state: 'error',
      error: 'simulated failure',
    });
  });

  it('holds stream credit while an events() consumer lags and still delivers every chunk', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    const it = t.host.events({ bufferSize: 10_000 });
    await t.host.handleMessage(instance_id, 'stream 300');
    const chunks: string[] = [];
    for await (const e of it) {
      if (e.event !== 'plugin-stream') continue;
      if (e.payload.type === 'stream_data') chunks.push(e.payload.data.chunk);
      if (e.payload.type === 'stream_end') break;
    }
    expect(chunks).toHaveLength(300);
    expect(it.dropped).toBe(0);
  });
});
