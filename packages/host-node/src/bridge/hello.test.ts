import { LIMITS, type Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../test/support/bridge/client.js';
import { FakeHost } from '../../test/support/bridge/fake-host.js';
import { createBridgeServer } from './server.js';

/** A host whose snapshot never arrives (a stuck custom host). */
class StuckHost extends FakeHost {
  override snapshot(): Snapshot {
    return new Promise<Snapshot>(() => undefined) as unknown as Snapshot;
  }
}

describe('events that arrive before the hello', () => {
  it('are buffered up to LIMITS.eventBuffer; past that the client is closed (1011) naming why, and nothing keeps growing', async () => {
    const host = new StuckHost();
    const logs: string[] = [];
    await using bridge = await createBridgeServer({ host, log: (l) => logs.push(l) });
    const c = await openClient(`${bridge.url}?token=${bridge.token}`);
    const event = {
      event: 'plugin-log',
      payload: { plugin_id: 'echo', instance_id: 'a', timestamp: 1, level: 'info', message: 'x' },
    } as const;
    for (let i = 0; i < LIMITS.eventBuffer; i++) host.emit(event);
    expect(bridge.clientCount).toBe(1);
    host.emit(event);
    const closed = await c.closed;
    expect(closed.code).toBe(1011);
    expect(closed.reason).toContain('snapshot took so long');
    expect(logs.join('\n')).toContain(`${LIMITS.eventBuffer} events waited`);
    expect(bridge.clientCount).toBe(0);
    for (let i = 0; i < 10_000; i++) host.emit(event); // no client left to buffer for
  });
});
