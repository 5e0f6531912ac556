import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const data = (stream: string, chunk: string, seq: number, is_final = false): BridgeServerFrame => ({
  type: 'event',
  event: {
    event: 'plugin-stream',
    payload: {
      plugin_id: 'p',
      instance_id: 'i',
      timestamp: seq,
      type: 'stream_data',
      data: { stream_id: stream, chunk, is_final, seq },
    },
  },
});
const log = (message: string): BridgeServerFrame => ({
  type: 'event',
  event: {
    event: 'plugin-log',
    payload: { plugin_id: 'p', instance_id: 'i', timestamp: 0, level: 'info', message },
  },
});

/** A socket whose buffer the test fills and drains by hand. */
function fakeSocket() {
  const sent: BridgeServerFrame[] = [];
  return {
    bufferedAmount: 0,
    sent,
    send(text: string) {
      sent.push(JSON.parse(text) as BridgeServerFrame);
    },
  };
}
const limits = { highWaterBytes: 100, maxQueuedBytes: 10_000, retryMs: 1 };

describe('Outbox', () => {
  it('sends straight through while the socket keeps up', () => {
    const socket = fakeSocket();
    const box = new Outbox(socket, limits, () => undefined);
    box.push(data('s', 'a', 0));
    box.push(data('s', 'b', 1));
    expect(socket.sent).toHaveLength(2);
    box.stop();
  });

  it('coalesces consecutive stream_data of one stream behind a slow socket and drops nothing else', async () => {
    const socket = fakeSocket();
    const box = new Outbox(socket, limits, () => undefined);
    socket.bufferedAmount = 1000;
    box.push(data('s', 'a', 0));
    box.push(data('s', 'b', 1));
    box.push(data('t', 'x', 0));
    box.push(data('s', 'c', 2));
    box.push(log('between'));
    box.push(data('s', 'd', 3));
    box.push(data('s', 'e', 4, true));
    box.push(data('s', 'late', 5));
    expect(socket.sent).toHaveLength(0);
    expect(box.stats.coalesced).toBe(2);
    socket.bufferedAmount = 0;
    await expect.poll(() => socket.sent.length).toBe(6);
    const summary = socket.sent.map((f) =>
      f.type === 'event' && f.event.event === 'plugin-stream' && f.event.payload.type === 'stream_data'
        ? `${f.event.payload.data.stream_id}:${f.event.payload.data.chunk}@${f.event.payload.data.seq}${f.event.payload.data.is_final ? '!' : ''}`
        : 'log',
    );
    expect(summary).toEqual(['s:ab@1', 't:x@0', 's:c@2', 'log', 's:de@4!', 's:late@5']);
    box.stop();
  });

  it('does not change the frame objects it was given (they are shared between clients)', () => {
    const socket = fakeSocket();
    const box = new Outbox(socket, limits, () => undefined);
    socket.bufferedAmount = 1000;
    const first = data('s', 'a', 0);
    box.push(first);
    box.push(data('s', 'b', 1));
    expect(first).toEqual(data('s', 'a', 0));
    box.stop();
  });

  it('reports a hopeless client once and stops', () => {
    const socket = fakeSocket();
    const overflows: number[] = [];
    const box = new Outbox(socket, limits, (n) => overflows.push(n));
    socket.bufferedAmount = 1000;
    for (let i = 0; i < 100; i++) box.push(log('x'.repeat(500)));
    expect(overflows).toHaveLength(1);
    expect(overflows[0]).toBeGreaterThan(limits.maxQueuedBytes);
    expect(socket.sent).toHaveLength(0);
  });
});
