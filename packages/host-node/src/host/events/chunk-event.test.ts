import { type FrontendEvent, PluginStreamPayload, validators } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import type { PluginEvent } from '../../driver/types.js';
import { InstanceStreams } from '../instance/streams.js';
import { chunkEvent } from './chunk-event.js';

const CHUNKS = ['', 'plain', 'ünïcödé', '😀 pair', '\u0000nul', 'x'.repeat(70_000), '"quoted"\n'];

/** A host with instance `i1` and a stream `s1` that received `chunks` (seq 0, 1, …). */
async function streamed(chunks: readonly string[]) {
  const t = await fakeHost([{ id: 'p' }]);
  await t.host.load('p', { instanceId: 'i1' });
  const events = t.host.events();
  const ctx = t.driver.contexts.get('i1') as FakeContext;
  const data: PluginEvent[] = chunks.map((chunk, seq) => ({
    kind: 'stream_data',
    streamId: 's1',
    chunk,
    seq,
  }));
  ctx.emit({ kind: 'stream_start', streamId: 's1', title: 't' }, ...data);
  const taken: FrontendEvent[] = [];
  for await (const e of events) {
    if (e.event === 'plugin-stream') taken.push(e);
    if (taken.length === chunks.length + 1) break;
  }
  const listened = t.recorded.events.filter((e) => e.event === 'plugin-stream');
  return { t, ctx, taken, listened };
}

describe('stream chunk events (the per-chunk fast path)', () => {
  it('every chunk event reaching host.on and host.events() passes the spec schema', async () => {
    const { t, taken, listened } = await streamed(CHUNKS);
    await using _ = t;
    for (const list of [taken, listened]) {
      expect(list.map((e) => (e.payload as { type: string }).type)).toEqual([
        'stream_start',
        ...CHUNKS.map(() => 'stream_data'),
      ]);
      for (const e of list) expect(validators.frontendEvent.errors(e)).toEqual([]);
      expect(list.slice(1).map((e) => (e.payload as { data: { chunk: string } }).data.chunk)).toEqual(CHUNKS);
    }
  });

  it('a chunk that breaks the schema after checked chunks is dropped and logged, never sent, and its credit returns', async () => {
    const t = await fakeHost([{ id: 'p' }]);
    await using _ = t;
    await t.host.load('p', { instanceId: 'i1' });
    const ctx = t.driver.contexts.get('i1') as FakeContext;
    ctx.emit(
      { kind: 'stream_start', streamId: 's1', title: null },
      { kind: 'stream_data', streamId: 's1', chunk: 'good', seq: 0 },
      { kind: 'stream_data', streamId: 's1', chunk: 'negative', seq: -1 },
      { kind: 'stream_data', streamId: 's1', chunk: 'fraction', seq: 1.5 },
      { kind: 'stream_data', streamId: 's1', chunk: 'after', seq: 3 },
    );
    await expect.poll(() => t.recorded.events.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => t.driver.credit.reduce((n, c) => n + c.chunks, 0)).toBe(4);
    const chunks = t.recorded.events.flatMap((e) =>
      e.event === 'plugin-stream' && e.payload.type === 'stream_data' ? [e.payload.data.chunk] : [],
    );
    expect(chunks).toEqual(['good', 'after']);
    expect(t.recorded.invalid).toEqual([]);
    expect(t.logs.filter((l) => l.message.startsWith('Dropped an invalid plugin-stream event'))).toHaveLength(
      2,
    );
  });

  it('the first chunk of a stream gets the full schema check (an instance id the schema refuses is caught)', () => {
    const streams = new InstanceStreams(1024);
    const record = streams.start('s1', null);
    const instance = { pluginId: 'p', id: '' };
    const first = chunkEvent(instance, record, 'a', 0, Date.now());
    expect(Array.isArray(first) && first.length > 0).toBe(true);
    expect(record.checked).toBe(false);
    const ok = chunkEvent({ pluginId: 'p', id: 'i1' }, record, 'a', 0, Date.now());
    expect(Array.isArray(ok)).toBe(false);
    expect(record.checked).toBe(true);
  });

  it('the per-chunk check covers every constraint the schema puts on the fields that vary per chunk', () => {
    // chunkEvent checks chunk (string), seq (integer >= 0) and timestamp (number) itself after the
    // first chunk; if the spec adds a constraint here, this test fails until the check covers it.
    const variant = PluginStreamPayload.anyOf[1];
    expect(variant.properties.type.const).toBe('stream_data');
    const plain = (s: unknown) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    const props = variant.properties;
    expect(plain(props.timestamp)).toEqual({ type: 'number', description: expect.any(String) });
    expect(plain(props.data.properties.chunk)).toEqual({ type: 'string' });
    expect(plain(props.data.properties.seq)).toEqual({ type: 'integer', minimum: 0 });
    expect(Object.keys(props).sort()).toEqual(['data', 'instance_id', 'plugin_id', 'timestamp', 'type']);
    expect(Object.keys(props.data.properties).sort()).toEqual(['chunk', 'is_final', 'seq', 'stream_id']);
  });
});

describe('stream credit for chunks', () => {
  const chunks = (n: number): PluginEvent[] =>
    Array.from({ length: n }, (_, seq) => ({ kind: 'stream_data', streamId: 's1', chunk: 'c', seq }));

  it('chunks the listeners took are credited back in one grant at the end of the plugin batch', async () => {
    const t = await fakeHost([{ id: 'p' }]);
    await using _ = t;
    await t.host.load('p', { instanceId: 'i1' });
    const ctx = t.driver.contexts.get('i1') as FakeContext;
    ctx.emit({ kind: 'stream_start', streamId: 's1', title: null }, ...chunks(10));
    await expect.poll(() => t.driver.credit.length).toBe(1);
    expect(t.driver.credit).toEqual([{ instanceId: 'i1', streamId: 's1', chunks: 10 }]);
  });

  it('chunks an events() iterator holds are credited only once taken, in one grant when it runs empty', async () => {
    const t = await fakeHost([{ id: 'p' }]);
    await using _ = t;
    await t.host.load('p', { instanceId: 'i1' });
    const events = t.host.events();
    const ctx = t.driver.contexts.get('i1') as FakeContext;
    ctx.emit({ kind: 'stream_start', streamId: 's1', title: null }, ...chunks(10));
    await expect.poll(() => t.recorded.events.filter((e) => e.event === 'plugin-stream').length).toBe(11);
    expect(t.driver.credit).toEqual([]);
    let taken = 0;
    for await (const e of events) {
      if (e.event === 'plugin-stream' && e.payload.type === 'stream_data' && ++taken === 10) break;
    }
    expect(t.driver.credit).toEqual([{ instanceId: 'i1', streamId: 's1', chunks: 10 }]);
  });
});
