import { describe, expect, it } from 'vitest';
import { fakeHost } from '../../../test/support/fake-host.js';
import { HostError } from '../../errors.js';
import { PiStatus } from '../../pi-status.js';
import { PendingReply } from './messages.js';

describe('deferred replies', () => {
  it('a failed deferred reply fails the waiting handleMessage at once, with the reason', async () => {
    await using t = await fakeHost([
      {
        id: 'd',
        behavior: {
          handle: (ctx, requestId) => {
            ctx.emit({
              kind: 'reply',
              requestId,
              status: PiStatus.LIMIT_EXCEEDED,
              content: 'the reply is 17825792 bytes; the limit is 16777216',
            });
            return { ok: true, pending: true };
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('d');
    await t.host.connect(instance_id);
    const started = Date.now();
    await expect(t.host.handleMessage(instance_id, 'x', { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'PLUGIN_CALL_FAILED',
      message: /LIMIT_EXCEEDED: the reply is 17825792 bytes/,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a second reply to an answered request is dropped and logged, never recorded', async () => {
    await using t = await fakeHost([
      {
        id: 'd',
        behavior: {
          handle: (ctx, requestId) => {
            ctx.emit(
              { kind: 'reply', requestId, status: PiStatus.OK, content: 'first' },
              { kind: 'reply', requestId, status: PiStatus.OK, content: 'second' },
            );
            return { ok: true, pending: true };
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('d');
    await t.host.connect(instance_id);
    expect((await t.host.handleMessage(instance_id, 'x')).reply).toBe('first');
    await expect.poll(() => t.logs.some((l) => l.message.startsWith('Dropped a reply'))).toBe(true);
    expect(t.host.instance(instance_id).history.map((h) => h.content)).not.toContain('second');
  });
});

describe('stray replies', () => {
  it('a flood of replies nobody waits for is logged at counts 1, 2, 4, 8…, not once each', async () => {
    await using t = await fakeHost([
      {
        id: 'd',
        behavior: {
          handle: (ctx) => {
            ctx.emit(
              ...Array.from({ length: 100 }, (_, i) => ({
                kind: 'reply' as const,
                requestId: 10_000 + i,
                status: PiStatus.OK,
                content: 'nobody asked',
              })),
            );
            return { ok: true, pending: false, reply: 'done' };
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('d');
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'x');
    const dropped = () => t.logs.filter((l) => l.message.startsWith('Dropped a reply'));
    await expect.poll(() => dropped().at(-1)?.message).toMatch(/64 replies dropped so far/);
    expect(dropped()).toHaveLength(7);
  });
});

describe('PendingReply', () => {
  it('keeps an answer that came before anyone waited, and a failure that came early is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const early = new PendingReply(1, ['a']);
      early.resolve('hi');
      await expect(early.promise()).resolves.toBe('hi');
      const failed = new PendingReply(2, ['a']);
      failed.reject(new HostError('PLUGIN_CALL_FAILED', 'no'));
      const p = failed.promise();
      // Nobody awaits it for a whole macrotask, as when the queue hands it on later.
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
      await expect(p).rejects.toMatchObject({ code: 'PLUGIN_CALL_FAILED' });
      const later = new PendingReply(3, ['a']);
      const waiting = later.promise();
      later.resolve(null);
      await expect(waiting).resolves.toBeNull();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
