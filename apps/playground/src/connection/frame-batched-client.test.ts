import {
  type ClientChange,
  type ClientListener,
  EMPTY_SNAPSHOT,
  type PluginClient,
} from '@plugin-interfaces/ui-react';
import { describe, expect, it } from 'vitest';
import { frameBatchedClient } from './frame-batched-client.js';

function fakeClient() {
  let listener: ClientListener = () => undefined;
  const client: PluginClient = {
    request: () => Promise.reject(new Error('not used')),
    snapshot: () => EMPTY_SNAPSHOT,
    status: 'open',
    subscribe(l) {
      listener = l;
      return () => undefined;
    },
  };
  return { client, emit: (c: ClientChange) => listener(c) };
}
const event: ClientChange = {
  type: 'event',
  event: {
    event: 'plugin-log',
    payload: { plugin_id: 'p', instance_id: 'i', timestamp: 0, level: 'info', message: 'm' },
  },
};

describe('frameBatchedClient', () => {
  it('collapses many events into one notification per frame', () => {
    const { client, emit } = fakeClient();
    const frames: Array<() => void> = [];
    const batched = frameBatchedClient(client, (cb) => frames.push(cb));
    const seen: string[] = [];
    batched.subscribe((c) => seen.push(c.type));
    for (let i = 0; i < 100; i++) emit(event);
    expect(seen).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(seen).toEqual(['event']);
  });

  it('passes status changes through at once', () => {
    const { client, emit } = fakeClient();
    const batched = frameBatchedClient(client, () => undefined);
    const seen: string[] = [];
    batched.subscribe((c) => seen.push(c.type));
    emit({ type: 'status', status: 'closed' });
    expect(seen).toEqual(['status']);
  });
});
