import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { jsonStringBytes, Outbox } from './outbox.js';
import { createBridgeServer } from './server.js';

const data = (
  stream: string,
  chunk: string,
  seq: number,
  is_final = false,
  instance = 'i',
): BridgeServerFrame => ({
  type: 'event',
  event: {
    event: 'plugin-stream',
    payload: {
      plugin_id: 'p',
      instance_id: instance,
      timestamp: seq,
      type: 'stream_data',
      data: { stream_id: stream, chunk, is_final, seq },
    },
  },
});
const log = (message: string, instance = 'i'): BridgeServerFrame => ({
  type: 'event',
  event: {
    event: 'plugin-log',
    payload: { plugin_id: 'p', instance_id: instance, timestamp: 0, level: 'info', message },
  },
});
const end = (stream: string, instance = 'i'): BridgeServerFrame => ({
  type: 'event',
  event: {
    event: 'plugin-stream',
    payload: {
      plugin_id: 'p',
      instance_id: instance,
      timestamp: 0,
      type: 'stream_end',
      data: { stream_id: stream, success: true, error: null },
    },
  },
});
const result = (id: number): BridgeServerFrame => ({ type: 'result', id, ok: true, value: null });

/** A socket that always keeps up and records what it sent, with the text size. */
function socket() {
  const sent: BridgeServerFrame[] = [];
  const sizes: number[] = [];
  return {
    bufferedAmount: 0,
    sent,
    sizes,
    send(text: string) {
      sizes.push(Buffer.byteLength(text));
      sent.push(JSON.parse(text) as BridgeServerFrame);
    },
  };
}
const limits = { highWaterBytes: 1 << 20, maxQueuedBytes: 1 << 26, batchMs: 0 };
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** `instance/stream:chunk@seq!` for data, `instance/stream:end`, `instance:log:msg`, `result:id`. */
function summary(frames: readonly BridgeServerFrame[]): string[] {
  return frames.map((f) => {
    if (f.type === 'result') return `result:${f.id}`;
    if (f.type !== 'event') return f.type;
    const p = f.event.payload;
    if (f.event.event === 'plugin-log' && 'message' in p) return `${p.instance_id}:log:${p.message}`;
    if (f.event.event === 'plugin-stream' && 'type' in p && p.type === 'stream_data')
      return `${p.instance_id}/${p.data.stream_id}:${p.data.chunk}@${p.data.seq}${p.data.is_final ? '!' : ''}`;
    if (f.event.event === 'plugin-stream' && 'type' in p)
      return `${p.instance_id}/${p.data.stream_id}:${p.type}`;
    return f.event.event;
  });
}

describe('Outbox stream batching', () => {
  it('merges a burst of chunks into one frame per stream with the exact content and the last seq', async () => {
    const s = socket();
    const box = new Outbox(s, limits, () => undefined);
    let expected = '';
    for (let seq = 0; seq < 1000; seq++) {
      const chunk = `chunk ${seq} "q" \\ ü\n`;
      expected += chunk;
      box.push(data('s', chunk, seq));
    }
    expect(s.sent).toHaveLength(0);
    await tick();
    expect(s.sent).toHaveLength(1);
    const f = s.sent[0]!;
    expect(f.type === 'event' && f.event.event === 'plugin-stream' && f.event.payload).toMatchObject({
      type: 'stream_data',
      data: { stream_id: 's', chunk: expected, seq: 999, is_final: false },
    });
    expect(box.stats).toMatchObject({ sent: 1, coalesced: 999 });
    box.stop();
  });

  it('keeps the exact order with other events of the same instance interleaved', async () => {
    const s = socket();
    const box = new Outbox(s, limits, () => undefined);
    box.push(data('s', 'a', 0));
    box.push(data('s', 'b', 1));
    box.push(data('t', 'x', 0));
    box.push(data('s', 'c', 2));
    box.push(log('between'));
    box.push(data('s', 'd', 3));
    box.push(data('s', 'e', 4, true));
    box.push(data('s', 'late', 5));
    box.push(data('t', 'y', 1));
    box.push(end('t'));
    box.push(data('u', '1', 0));
    await tick();
    expect(summary(s.sent)).toEqual([
      'i/s:abc@2',
      'i/t:x@0',
      'i:log:between',
      'i/s:de@4!',
      'i/s:late@5',
      'i/t:y@1',
      'i/t:stream_end',
      'i/u:1@0',
    ]);
    box.stop();
  });

  it('lets other instances pass without breaking a batch, and releases all batches before a result', async () => {
    const s = socket();
    const box = new Outbox(s, limits, () => undefined);
    box.push(data('s', 'a', 0));
    box.push(log('other', 'j'));
    box.push(data('s', 'b', 1));
    box.push(data('s', 'x', 0, false, 'j'));
    box.push(result(7));
    box.push(data('s', 'c', 2));
    expect(summary(s.sent)).toEqual(['j:log:other', 'i/s:ab@1', 'j/s:x@0', 'result:7']);
    await tick();
    expect(summary(s.sent).at(-1)).toBe('i/s:c@2');
    box.stop();
  });

  it('sends a result at once, and stream data no later than the tick', async () => {
    for (const batchMs of [0, 16]) {
      const s = socket();
      const box = new Outbox(s, { ...limits, batchMs }, () => undefined);
      const t0 = performance.now();
      box.push(data('s', 'a', 0));
      box.push(result(1));
      expect(summary(s.sent)).toEqual(['i/s:a@0', 'result:1']);
      box.push(data('s', 'b', 1));
      await new Promise<void>((resolve) => {
        const poll = (): void => {
          if (s.sent.length === 3) resolve();
          else setImmediate(poll);
        };
        poll();
      });
      expect(performance.now() - t0).toBeLessThan(batchMs + 50);
      box.stop();
    }
  });

  it('splits a batch that would pass the frame size cap, losing and reordering nothing', async () => {
    const s = socket();
    const maxFrameBytes = 4096;
    const box = new Outbox(s, { ...limits, maxFrameBytes }, () => undefined);
    let expected = '';
    for (let seq = 0; seq < 500; seq++) {
      const chunk = `${seq}:${'é"'.repeat(seq % 7)}\n`;
      expected += chunk;
      box.push(data('s', chunk, seq));
    }
    await tick();
    expect(s.sent.length).toBeGreaterThan(1);
    expect(Math.max(...s.sizes)).toBeLessThanOrEqual(maxFrameBytes);
    let got = '';
    let lastSeq = -1;
    for (const f of s.sent) {
      if (f.type !== 'event' || f.event.event !== 'plugin-stream' || f.event.payload.type !== 'stream_data')
        throw new Error('unexpected frame');
      expect(f.event.payload.data.seq).toBeGreaterThan(lastSeq);
      lastSeq = f.event.payload.data.seq;
      got += f.event.payload.data.chunk;
    }
    expect(got).toBe(expected);
    expect(lastSeq).toBe(499);
    box.stop();
  });

  it('does not change the shared frame objects and drops batches on stop', async () => {
    const s = socket();
    const box = new Outbox(s, limits, () => undefined);
    const first = data('s', 'a', 0);
    box.push(first);
    box.push(data('s', 'b', 1));
    expect(first).toEqual(data('s', 'a', 0));
    box.stop();
    await tick();
    expect(s.sent).toHaveLength(0);
  });

  it('measures JSON string sizes in UTF-8 bytes', () => {
    for (const text of ['plain', 'a"b\\c', 'line\n', 'ü€𝄞', '\u0001'])
      expect(jsonStringBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)) - 2);
  });
});

describe('bridge server stream batching', () => {
  it('sends a burst of chunks as few frames, in order with the events around them', async () => {
    const host = new FakeHost();
    await using bridge = await createBridgeServer({ host });
    await using c = await openClient(`${bridge.url}?token=${bridge.token}`);
    await c.next((f) => f.type === 'hello');
    let expected = '';
    for (let seq = 0; seq < 5000; seq++) {
      const chunk = `chunk ${seq}\n`;
      expected += chunk;
      const frame = data('s', chunk, seq);
      if (frame.type === 'event') host.emit(frame.event);
      if (seq === 2500) {
        const l = log('middle');
        if (l.type === 'event') host.emit(l.event);
      }
    }
    const done = log('done');
    if (done.type === 'event') host.emit(done.event);
    await c.next((f) => summary([f])[0] === 'i:log:done');
    const names = summary(c.frames.slice(1));
    expect(names).toHaveLength(4);
    expect(names[0]).toMatch(/^i\/s:chunk 0\n.*@2500$/s);
    expect(names[1]).toBe('i:log:middle');
    expect(names[2]).toMatch(/@4999$/);
    const text = c.frames
      .map((f) =>
        f.type === 'event' && f.event.event === 'plugin-stream' && f.event.payload.type === 'stream_data'
          ? f.event.payload.data.chunk
          : '',
      )
      .join('');
    expect(text).toBe(expected);
  });
});
