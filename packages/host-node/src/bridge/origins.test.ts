import { describe, expect, it } from 'vitest';
import { openClient, refusedStatus } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { defaultOrigins } from './access.js';
import { createBridgeServer } from './server.js';

describe('allowed origins come from the real listening port only', () => {
  it('refuses the playground dev origin http://localhost:5173 when the bridge listens elsewhere', async () => {
    await using bridge = await createBridgeServer({ host: new FakeHost() });
    expect(bridge.port).not.toBe(5173);
    const good = `${bridge.url}?token=${bridge.token}`;
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://[::1]:5173'])
      expect({ origin, status: await refusedStatus(good, { origin }) }).toEqual({ origin, status: 403 });
    for (const origin of [`http://localhost:${bridge.port}`, `http://127.0.0.1:${bridge.port}`]) {
      await using c = await openClient(good, { origin });
      await c.next((f) => f.type === 'hello');
    }
  });

  it('derives the default set from the listening address and port, with no other port in it', () => {
    expect([...defaultOrigins(4000)]).toEqual(['http://127.0.0.1:4000', 'http://localhost:4000']);
    expect([...defaultOrigins(4000, '::1')]).toEqual(['http://[::1]:4000', 'http://localhost:4000']);
  });

  it('uses exactly the origins the embedder passes', async () => {
    await using bridge = await createBridgeServer({
      host: new FakeHost(),
      allowedOrigins: ['http://app.localhost:9'],
    });
    const good = `${bridge.url}?token=${bridge.token}`;
    expect(await refusedStatus(good, { origin: `http://127.0.0.1:${bridge.port}` })).toBe(403);
    await using c = await openClient(good, { origin: 'http://APP.localhost:9' });
    await c.next((f) => f.type === 'hello');
  });
});
