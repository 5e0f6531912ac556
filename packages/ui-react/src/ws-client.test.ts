import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientChange } from './client.js';
import { isPluginClientError } from './errors.js';
import { FakeWebSocket } from './test-support/fake-websocket.js';
import { instance, message, snapshotWith } from './test-support/fixtures.js';
import { createWebSocketClient } from './ws-client.js';

const hello = (snapshot = snapshotWith(instance())) => ({ type: 'hello', protocol: 1, snapshot });

function connect() {
  const client = createWebSocketClient({
    url: 'ws://host.test/bridge',
    token: 's3cret',
    WebSocket: FakeWebSocket,
    backoff: { initialMs: 100, factor: 2, maxMs: 400 },
  });
  const changes: ClientChange[] = [];
  client.subscribe((c) => changes.push(c));
  return { client, changes };
}

beforeEach(() => {
  FakeWebSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWebSocketClient', () => {
  it('puts the token in the URL query and is open only after hello', () => {
    using c = connect().client;
    expect(new URL(FakeWebSocket.last.url).searchParams.get('token')).toBe('s3cret');
    FakeWebSocket.last.open();
    expect(c.status).toBe('connecting');
    FakeWebSocket.last.receive(hello());
    expect(c.status).toBe('open');
    expect(c.snapshot().instances[0]?.instance_id).toBe('echo-1');
  });

  it('sends requests with increasing ids and resolves them from result frames', async () => {
    using c = connect().client;
    const ws = FakeWebSocket.last;
    ws.open();
    ws.receive(hello());
    const done = c.request('send_message', { instance_id: 'echo-1', message: 'hi' });
    expect(ws.sent).toEqual([{ id: 1, op: 'send_message', instance_id: 'echo-1', message: 'hi' }]);
    ws.receive({ type: 'result', id: 1, ok: true, value: { request_id: 'r1' } });
    await expect(done).resolves.toEqual({ request_id: 'r1' });
  });

  it('rejects with the host error code when the host refuses a request', async () => {
    using c = connect().client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    const done = c.request('unload', { instance_id: 'nope' });
    FakeWebSocket.last.receive({
      type: 'result',
      id: 1,
      ok: false,
      error: { code: 'PLUGIN_NOT_FOUND', message: 'no instance nope' },
    });
    await expect(done).rejects.toMatchObject({ reason: 'remote', code: 'PLUGIN_NOT_FOUND' });
  });

  it('applies events to the snapshot and notifies subscribers', () => {
    const { client, changes } = connect();
    using _c = client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    FakeWebSocket.last.receive({ type: 'event', event: message('m1', 'hello') });
    expect(client.snapshot().instances[0]?.history.map((m) => m.content)).toEqual(['hello']);
    expect(changes.at(-1)).toMatchObject({ type: 'event', event: { event: 'plugin-message' } });
  });

  it('reports malformed and invalid frames without crashing or changing state', () => {
    const { client, changes } = connect();
    using _c = client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    const before = client.snapshot();
    FakeWebSocket.last.receive('{not json');
    FakeWebSocket.last.receive({
      type: 'event',
      event: { event: 'plugin-message', payload: { content: 1 } },
    });
    FakeWebSocket.last.receive({ type: 'hello', protocol: 99, snapshot: {} });
    const bad = changes.filter((c) => c.type === 'bad-frame');
    expect(bad).toHaveLength(3);
    expect(client.snapshot()).toBe(before);
    expect(client.status).toBe('open');
  });

  it('rejects pending requests with a retryable typed error when the connection drops', async () => {
    using c = connect().client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    const done = c.request('snapshot', {});
    FakeWebSocket.last.serverClose();
    const error: unknown = await done.catch((e: unknown) => e);
    expect(isPluginClientError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'disconnected', retryable: true });
    expect(c.status).toBe('closed');
  });

  it('reconnects with capped exponential back-off and resyncs from the new hello', () => {
    const { client, changes } = connect();
    using _c = client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    FakeWebSocket.last.serverClose();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(50);
        waited += 50;
      }
      delays.push(waited);
      FakeWebSocket.last.serverClose();
    }
    expect(delays).toEqual([100, 200, 400, 400]);

    vi.advanceTimersByTime(400);
    const fresh = snapshotWith(instance({ instance_id: 'echo-1', revision: 7 }));
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello(fresh));
    expect(client.status).toBe('open');
    expect(client.snapshot()).toEqual(fresh);
    expect(changes.filter((c) => c.type === 'snapshot')).toHaveLength(2);
  });

  it('queues requests made while connecting and sends them after hello', () => {
    using c = connect().client;
    void c.request('rescan', {}).catch(() => undefined);
    expect(FakeWebSocket.last.sent).toEqual([]);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    expect(FakeWebSocket.last.sent).toEqual([{ id: 1, op: 'rescan' }]);
  });

  it('refuses an invalid request before sending it', async () => {
    using c = connect().client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    const bad = c.request('ui_event', { instance_id: 'echo-1', event: { widget_id: '', kind: 'click' } });
    await expect(bad).rejects.toMatchObject({ reason: 'invalid-request' });
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('stops reconnecting after close and rejects later requests', async () => {
    const c = connect().client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    c.close();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await expect(c.request('snapshot', {})).rejects.toMatchObject({ reason: 'closed' });
  });
});

describe('createWebSocketClient snapshot requests', () => {
  it('replaces the state with a validated snapshot result and rejects an invalid one', async () => {
    FakeWebSocket.reset();
    const { client, changes } = connect();
    using _c = client;
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive(hello());
    const fresh = snapshotWith(instance({ revision: 42 }));
    const good = client.request('snapshot', {});
    FakeWebSocket.last.receive({ type: 'result', id: 1, ok: true, value: fresh });
    await expect(good).resolves.toEqual(fresh);
    expect(client.snapshot().instances[0]?.revision).toBe(42);

    const bad = client.request('snapshot', {});
    FakeWebSocket.last.receive({ type: 'result', id: 2, ok: true, value: { plugins: 'nope' } });
    await expect(bad).rejects.toMatchObject({ reason: 'bad-frame', code: 'BRIDGE_BAD_FRAME' });
    expect(client.snapshot().instances[0]?.revision).toBe(42);
    expect(changes.some((c) => c.type === 'bad-frame')).toBe(true);
  });
});
