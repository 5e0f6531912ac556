import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { openClient, refusedStatus } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { createBridgeServer } from './server.js';

const isHello = (f: BridgeServerFrame) => f.type === 'hello';
const resultOf = (id: number) => (f: BridgeServerFrame) => f.type === 'result' && f.id === id;

async function start(extra: { maxFrameBytes?: number } = {}) {
  const host = new FakeHost();
  const bridge = await createBridgeServer({ host, ...extra });
  const good = `${bridge.url}?token=${bridge.token}`;
  return { host, bridge, good };
}

/** A good client still gets its snapshot and answers. */
async function expectServing(url: string): Promise<void> {
  await using c = await openClient(url);
  await c.next(isHello);
  c.send({ id: 7, op: 'snapshot' });
  expect(await c.next(resultOf(7))).toMatchObject({ ok: true });
}

describe('bridge server', () => {
  it('binds 127.0.0.1 and sends hello with the snapshot first', async () => {
    const { host, bridge, good } = await start();
    await using _ = bridge;
    expect(bridge.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/bridge$/);
    await using c = await openClient(good);
    const hello = await c.next(isHello);
    expect(hello).toEqual({ type: 'hello', protocol: 1, snapshot: host.state });
    expect(c.frames[0]).toBe(hello);
  });

  it('routes requests to the host and reports host errors as result ok:false', async () => {
    const { host, bridge, good } = await start();
    await using _ = bridge;
    await using c = await openClient(good);
    c.send({ id: 1, op: 'load', plugin_id: 'echo', instance_id: 'a' });
    expect(await c.next(resultOf(1))).toEqual({
      type: 'result',
      id: 1,
      ok: true,
      value: { instance_id: 'a' },
    });
    c.send({ id: 2, op: 'send_message', instance_id: 'a', message: 'hi' });
    // The result uses the spec's wire names (request_id), not the host's (requestId).
    expect(await c.next(resultOf(2))).toEqual({
      type: 'result',
      id: 2,
      ok: true,
      value: { request_id: 'r1', reply: 'Echo: hi' },
    });
    c.send({ id: 3, op: 'unload', instance_id: 'missing-1' });
    expect(await c.next(resultOf(3))).toMatchObject({ ok: false, error: { code: 'PLUGIN_NOT_FOUND' } });
    c.send({ id: 4, op: 'set_app_config', key: 'theme', value: { dark: true } });
    expect(await c.next(resultOf(4))).toMatchObject({ ok: true, value: null });
    c.send({ id: 5, op: 'history', instance_id: 'a', limit: 10 });
    expect(await c.next(resultOf(5))).toMatchObject({
      ok: true,
      value: { messages: [{ id: 'h1' }], more: 0 },
    });
    c.send({ id: 6, op: 'history', instance_id: 'a', limit: 0 });
    expect(await c.next(resultOf(6))).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(host.calls.map((x) => x.method)).toEqual(['load', 'handleMessage', 'setAppConfig', 'history']);
    expect(host.calls.at(-1)?.args).toEqual(['a', { limit: 10 }]);
  });

  it('forwards host events to every client after its hello', async () => {
    const { host, bridge, good } = await start();
    await using _ = bridge;
    await using a = await openClient(good);
    await using b = await openClient(good);
    await Promise.all([a.next(isHello), b.next(isHello)]);
    const event = {
      event: 'plugin-log',
      payload: { plugin_id: 'echo', instance_id: 'a', timestamp: 1, level: 'info', message: 'x' },
    } as const;
    host.emit(event);
    for (const c of [a, b]) expect(await c.next((f) => f.type === 'event')).toEqual({ type: 'event', event });
  });

  it('answers invalid JSON with an error frame and keeps the connection', async () => {
    const { bridge, good } = await start();
    await using _ = bridge;
    await using c = await openClient(good);
    c.send('{not json');
    const f = await c.next((x) => x.type === 'error');
    expect(f).toMatchObject({ error: { code: 'BRIDGE_BAD_FRAME' } });
    c.send({ id: 9, op: 'snapshot' });
    expect(await c.next(resultOf(9))).toMatchObject({ ok: true });
  });

  it('answers a wrong schema with result ok:false when the id is readable', async () => {
    const { bridge, good } = await start();
    await using _ = bridge;
    await using c = await openClient(good);
    c.send({ id: 5, op: 'load' });
    expect(await c.next(resultOf(5))).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    c.send({ id: 6, op: 'format_disk' });
    const unknown = await c.next(resultOf(6));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(JSON.stringify(unknown)).toContain('unknown op');
    c.send({ op: 'snapshot' });
    expect(await c.next((x) => x.type === 'error')).toMatchObject({ error: { code: 'BRIDGE_BAD_FRAME' } });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next((x) => x.type === 'error' && x.error.message.includes('binary'))).toBeTruthy();
    await expectServing(good);
  });

  it('closes a connection that sends an oversized frame (1009) and keeps serving others', async () => {
    const { bridge, good } = await start({ maxFrameBytes: 1024 });
    await using _ = bridge;
    const c = await openClient(good);
    c.send({ id: 1, op: 'send_message', instance_id: 'a', message: 'x'.repeat(4096) });
    expect((await c.closed).code).toBe(1009);
    await expectServing(good);
  });

  it('refuses a wrong Origin with 403 before upgrading', async () => {
    const { bridge, good } = await start();
    await using _ = bridge;
    expect(await refusedStatus(good, { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus(good, { origin: 'http://127.0.0.1:1' })).toBe(403);
    await using ok = await openClient(good, { origin: `http://127.0.0.1:${bridge.port}` });
    await ok.next(isHello);
    await expectServing(good);
  });

  it('refuses a wrong Host header (DNS rebinding) with 403', async () => {
    const { bridge, good } = await start();
    await using _ = bridge;
    expect(await refusedStatus(good, { host: `evil.example:${bridge.port}` })).toBe(403);
    expect(await refusedStatus(good, { host: '127.0.0.1:1' })).toBe(403);
    await using ok = await openClient(good, { host: `localhost:${bridge.port}` });
    await ok.next(isHello);
    await expectServing(good);
  });

  it('refuses a missing or wrong token with 401', async () => {
    const { bridge, good } = await start();
    await using _ = bridge;
    expect(await refusedStatus(bridge.url)).toBe(401);
    expect(await refusedStatus(`${bridge.url}?token=${bridge.token.slice(1)}x`)).toBe(401);
    expect(await refusedStatus(`${bridge.url}?token=`)).toBe(401);
    await expectServing(good);
  });

  it('uses a fresh random token per start', async () => {
    await using a = await createBridgeServer({ host: new FakeHost() });
    await using b = await createBridgeServer({ host: new FakeHost() });
    expect(a.token).not.toBe(b.token);
    expect(a.token.length).toBeGreaterThanOrEqual(40);
  });
});
