import { describe, expect, it } from 'vitest';
import { connectedGood, useGoodPlugin } from './support/good-plugin.js';

// A reply a plugin sends while its handle_message still runs: the host registers a request's
// answer only then (an answer that comes back with the call costs no entry), so these are the
// cases where registration has to happen mid-call.
const pluginsDir = useGoodPlugin('pi-early-');

describe('a reply sent before handle_message returns', () => {
  for (const isolation of ['in-process', 'isolated'] as const) {
    it(`${isolation}: answers a request that then says PENDING`, async () => {
      await using host = await connectedGood(pluginsDir(), isolation);
      expect((await host.handleMessage('g', 'pending-now', { timeoutMs: 10_000 })).reply).toBe('early');
      expect(host.history('g').messages.map((m) => m.content)).toEqual(['connected', 'pending-now', 'early']);
      // The next request is not answered by the earlier one's reply.
      expect((await host.handleMessage('g', 'echo:next')).reply).toBe('next');
    });

    it(`${isolation}: is dropped and logged when the call answers at once; the call's answer counts`, async () => {
      const logs: string[] = [];
      await using host = await connectedGood(pluginsDir(), isolation, {
        log: (_level, message) => logs.push(message),
      });
      expect((await host.handleMessage('g', 'reply-and-answer')).reply).toBe('direct');
      await expect.poll(() => logs.some((l) => l.startsWith('Dropped a reply'))).toBe(true);
      expect(host.history('g').messages.map((m) => m.content)).toEqual([
        'connected',
        'reply-and-answer',
        'direct',
      ]);
    });
  }
});
