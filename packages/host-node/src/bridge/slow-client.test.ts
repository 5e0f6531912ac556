import type { BridgeServerFrame, FrontendEvent } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { createBridgeServer } from './server.js';

const chunkEvent = (seq: number, chunk: string): FrontendEvent => ({
  event: 'plugin-stream',
  payload: {
    plugin_id: 'streamer',
    instance_id: 'i',
    timestamp: seq,
    type: 'stream_data',
    data: { stream_id: 's1', chunk, is_final: false, seq },
  },
});
const logEvent = (message: string): FrontendEvent => ({
  event: 'plugin-log',
  payload: { plugin_id: 'streamer', instance_id: 'i', timestamp: 0, level: 'info', message },
});
const isLog = (f: BridgeServerFrame, message: string) =>
  f.type === 'event' && f.event.event === 'plugin-log' && f.event.payload.message === message;

describe('bridge with a slow client', () => {
  it('coalesces stream chunks for a client that stopped reading, losing nothing', async () => {
    const host = new FakeHost();
    await using bridge = await createBridgeServer({
      host,
      highWaterBytes: 64 * 1024,
      maxQueuedBytes: 256 * 1024 * 1024,
    });
    await using c = await openClient(`${bridge.url}?token=${bridge.token}`);
    await c.next((f) => f.type === 'hello');
    c.ws.pause();
    // Enough data to fill the kernel's socket buffers, so the server sees bufferedAmount grow.
    const chunk = 'x'.repeat(1023);
    const total = 20_000;
    let expected = '';
    for (let seq = 0; seq < total; seq++) {
      const text = `${seq % 10}${chunk}`;
      expected += text;
      host.emit(chunkEvent(seq, text));
      if (seq === total / 2) host.emit(logEvent('middle'));
    }
    host.emit(logEvent('done'));
    c.ws.resume();
    await c.next((f) => isLog(f, 'done'), 20_000);
    let received = '';
    let lastSeq = -1;
    let dataFrames = 0;
    let middleSeen = false;
    for (const f of c.frames) {
      if (isLog(f, 'middle')) middleSeen = true;
      if (f.type !== 'event' || f.event.event !== 'plugin-stream' || f.event.payload.type !== 'stream_data')
        continue;
      received += f.event.payload.data.chunk;
      expect(f.event.payload.data.seq).toBeGreaterThan(lastSeq);
      lastSeq = f.event.payload.data.seq;
      dataFrames++;
    }
    expect(middleSeen).toBe(true);
    expect(received.length).toBe(expected.length);
    expect(received === expected).toBe(true);
    expect(lastSeq).toBe(total - 1);
    expect(dataFrames).toBeLessThan(total);
  }, 30_000);

  it('closes a hopeless client with a clear reason and keeps serving others', async () => {
    const host = new FakeHost();
    const lines: string[] = [];
    await using bridge = await createBridgeServer({
      host,
      highWaterBytes: 16 * 1024,
      maxQueuedBytes: 1024 * 1024,
      log: (l) => lines.push(l),
    });
    const url = `${bridge.url}?token=${bridge.token}`;
    const slow = await openClient(url);
    await slow.next((f) => f.type === 'hello');
    slow.ws.pause();
    const text = 'y'.repeat(4096);
    for (let i = 0; i < 20_000 && lines.length === 0; i++) host.emit(logEvent(text));
    expect(lines.join('\n')).toMatch(/closing a client that fell \d+ bytes behind/);
    slow.ws.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/too slow/);
    await using good = await openClient(url);
    await good.next((f) => f.type === 'hello');
    host.emit(logEvent('still here'));
    await good.next((f) => isLog(f, 'still here'));
  }, 30_000);
});
