import type { BridgeServerFrame, Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { Outbox } from './outbox.js';
import { createBridgeServer } from './server.js';

/** A socket that records what it was given. */
function recordingSocket() {
  const sent: string[] = [];
  return { sent, socket: { bufferedAmount: 0, send: (d: string) => void sent.push(d) } };
}

function deepValue(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const parsed = (sent: string[]) => sent.map((s) => JSON.parse(s) as BridgeServerFrame);

describe('the send path never throws', () => {
  it('fails only the request whose result cannot be serialized (too deep, cyclic, BigInt) and keeps sending', () => {
    const { sent, socket } = recordingSocket();
    const outbox = new Outbox(socket, { highWaterBytes: 1024, maxQueuedBytes: 1 << 20 }, () => undefined);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [id, value] of [
      [1, deepValue(100_000)],
      [2, cyclic],
      [3, 10n],
    ] as const)
      expect(() => outbox.push({ type: 'result', id, ok: true, value })).not.toThrow();
    outbox.push({ type: 'result', id: 4, ok: true, value: 'fine' });
    const frames = parsed(sent);
    expect(frames.slice(0, 3)).toEqual(
      [1, 2, 3].map((id) => ({
        type: 'result',
        id,
        ok: false,
        error: {
          code: 'INTERNAL',
          message: expect.stringContaining(`request ${id} could not be serialized`),
        },
      })),
    );
    expect(frames[3]).toEqual({ type: 'result', id: 4, ok: true, value: 'fine' });
    expect(outbox.stats.unsendable).toBe(3);
  });

  it('replaces a result over the frame cap by PAYLOAD_TOO_LARGE naming bridgeMaxFrameBytes, also behind a slow socket', () => {
    const { sent, socket } = recordingSocket();
    const outbox = new Outbox(
      socket,
      { highWaterBytes: 1024, maxQueuedBytes: 1 << 24, maxFrameBytes: 4096 },
      () => undefined,
    );
    outbox.push({ type: 'result', id: 1, ok: true, value: 'x'.repeat(5000) });
    socket.bufferedAmount = 1 << 20; // queued from now on
    outbox.push({ type: 'result', id: 2, ok: true, value: 'y'.repeat(5000) });
    socket.bufferedAmount = 0;
    outbox.push({ type: 'result', id: 3, ok: true, value: 'z' });
    return new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sent.length < 3) return;
        clearInterval(poll);
        const frames = parsed(sent);
        for (const f of frames.slice(0, 2))
          expect(f).toMatchObject({
            ok: false,
            error: { code: 'PAYLOAD_TOO_LARGE', detail: { limit: 'bridgeMaxFrameBytes' } },
          });
        expect(frames[2]).toMatchObject({ id: 3, ok: true });
        outbox.stop();
        resolve();
      }, 5);
    });
  });

  it('cuts one stream chunk over the frame cap into frames under it, losing nothing and keeping surrogate pairs', () => {
    const { sent, socket } = recordingSocket();
    const outbox = new Outbox(
      socket,
      { highWaterBytes: 1 << 20, maxQueuedBytes: 1 << 24, maxFrameBytes: 2048 },
      () => undefined,
    );
    const chunk = 'ab😀"\n'.repeat(1500);
    outbox.push({
      type: 'event',
      event: {
        event: 'plugin-stream',
        payload: {
          type: 'stream_data',
          plugin_id: 'p',
          instance_id: 'i',
          timestamp: 1,
          data: { stream_id: 's', chunk, is_final: true, seq: 7 },
        },
      },
    });
    expect(sent.length).toBeGreaterThan(1);
    for (const text of sent) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    const datas = parsed(sent).map(
      (f) => (f as { event: { payload: { data: { chunk: string; is_final: boolean } } } }).event.payload.data,
    );
    expect(datas.map((d) => d.chunk).join('')).toBe(chunk);
    expect(datas.map((d) => d.is_final)).toEqual([...Array(datas.length - 1).fill(false), true]);
  });

  it('a snapshot the host cannot serialize fails hello and the snapshot request only; the connection still answers', async () => {
    const state: Snapshot = { plugins: [], instances: [], app_config: { deep: deepValue(10_000) } };
    const host = new FakeHost(state);
    await using bridge = await createBridgeServer({ host });
    await using c = await openClient(`${bridge.url}?token=${bridge.token}`);
    expect(await c.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'INTERNAL', message: expect.stringContaining('hello frame could not be serialized') },
    });
    c.send({ id: 1, op: 'snapshot' });
    expect(await c.next((f) => f.type === 'result' && f.id === 1)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    c.send({ id: 2, op: 'load', plugin_id: 'echo', instance_id: 'a' });
    expect(await c.next((f) => f.type === 'result' && f.id === 2)).toMatchObject({ ok: true });
    expect(bridge.clientCount).toBe(1);
  });
});
