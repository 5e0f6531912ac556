import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { pollUntil, rawRequest, upgradeRequest } from '../../test/support/bridge/raw-http.js';
import { type BridgeServer, createBridgeServer } from './server.js';

/** A bridge attached to an HTTP server the test owns (as the playground does). */
async function attached(
  options: { passUpgrade?: (req: import('node:http').IncomingMessage) => boolean } = {},
): Promise<{ http: Server; bridge: BridgeServer } & AsyncDisposable> {
  const http = createServer((_req, res) => res.end('page'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const bridge = await createBridgeServer({ host: new FakeHost(), server: http, ...options });
  return {
    http,
    bridge,
    async [Symbol.asyncDispose]() {
      await bridge.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

async function expectServing(bridge: BridgeServer): Promise<void> {
  await using c = await openClient(`${bridge.url}?token=${bridge.token}`);
  c.send({ id: 1, op: 'snapshot' });
  expect(await c.next((f) => f.type === 'result' && f.id === 1, 200)).toMatchObject({ ok: true });
}

describe('WebSocket upgrades the bridge does not serve', () => {
  it('answers an upgrade to another path on a shared server with 404 and closes the socket', async () => {
    await using s = await attached();
    const answer = await rawRequest(s.bridge.port, upgradeRequest('/not-the-bridge', s.bridge.port));
    expect(answer).toMatchObject({ status: 404, closedByServer: true });
    expect(answer.text).toContain('the bridge is at /bridge');
    expect(await pollUntil(() => connections(s.http), 0)).toBe(0);
    await expectServing(s.bridge);
  });

  it('answers an upgrade to another path on its own server with 404 and closes the socket', async () => {
    await using bridge = await createBridgeServer({ host: new FakeHost() });
    const answer = await rawRequest(bridge.port, upgradeRequest('/x', bridge.port));
    expect(answer).toMatchObject({ status: 404, closedByServer: true });
  });

  it('leaves upgrades that passUpgrade claims to the server owner', async () => {
    await using s = await attached({
      passUpgrade: (req) => req.headers['sec-websocket-protocol'] === 'owner',
    });
    s.http.on('upgrade', (req, socket) => {
      if (req.headers['sec-websocket-protocol'] === 'owner') socket.end('HTTP/1.1 418 Owner\r\n\r\n');
    });
    const owned = await rawRequest(
      s.bridge.port,
      upgradeRequest('/hmr', s.bridge.port, { 'Sec-WebSocket-Protocol': 'owner' }),
    );
    expect(owned.status).toBe(418);
    const other = await rawRequest(s.bridge.port, upgradeRequest('/hmr', s.bridge.port));
    expect(other.status).toBe(404);
  });

  it('answers an upgrade whose target is not a URL with 400 instead of throwing out of the upgrade handler', async () => {
    await using s = await attached();
    for (const target of ['//', '//a:b@:x/bridge', 'http://[/bridge'])
      expect(await rawRequest(s.bridge.port, upgradeRequest(target, s.bridge.port))).toMatchObject({
        status: 400,
        closedByServer: true,
      });
    await expectServing(s.bridge);
  });

  it('300 refused upgrades (wrong path, token, origin, host) leave no socket open on the server', async () => {
    await using s = await attached();
    const port = s.bridge.port;
    const bad = [
      upgradeRequest('/elsewhere', port),
      upgradeRequest('/bridge', port),
      upgradeRequest('/bridge?token=wrong', port),
      upgradeRequest(`/bridge?token=${s.bridge.token}`, port, { Origin: 'http://evil.example' }),
      upgradeRequest(`/bridge?token=${s.bridge.token}`, port, { Host: 'evil.example' }),
      upgradeRequest(`/bridge?token=${s.bridge.token}`, port, { 'Sec-WebSocket-Key': undefined }),
    ];
    const answers = [];
    for (let i = 0; i < 300; i += 50)
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) => rawRequest(port, bad[(i + j) % bad.length]!)),
        )),
      );
    expect(answers.every((a) => a.closedByServer && a.status >= 400 && a.status < 500)).toBe(true);
    expect(await pollUntil(() => connections(s.http), 0)).toBe(0);
    await expectServing(s.bridge);
  });
});
