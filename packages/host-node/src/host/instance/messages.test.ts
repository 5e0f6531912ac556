import { describe, expect, it } from 'vitest';
import { fakeHost } from '../../../test/support/fake-host.js';
import { PiStatus } from '../../pi-status.js';

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
