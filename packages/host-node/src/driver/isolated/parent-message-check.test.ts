import { validators } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { PiStatus } from '../../generated/abi.js';
import { isParentMessageLazy } from './parent-message-check.js';

const inner = { autoCredit: false, creditWindow: 256, requestTimeoutMs: 30_000, destroyGraceMs: 2000 };
const samples: unknown[] = [
  { t: 'hello', protocol: 1, options: { driverModule: null, maxBatchEvents: 512, inner } },
  { t: 'hello', protocol: 1, options: { driverModule: 7, maxBatchEvents: 512, inner } },
  { t: 'hello', protocol: '1' },
  { t: 'call', id: 1, op: 'load', timeoutMs: 1000, args: { path: '/x.so', sha256: null } },
  { t: 'call', id: 1, op: 'load', timeoutMs: 1000, args: { path: 5 } },
  { t: 'call', id: 2, op: 'ping', timeoutMs: null, args: {} },
  { t: 'call', id: 2, op: 'ping', timeoutMs: null },
  {
    t: 'call',
    id: 3,
    op: 'handleMessage',
    timeoutMs: 5,
    args: { instanceId: 'a', requestId: 1, message: 'm' },
  },
  { t: 'call', id: 3, op: 'handleMessage', timeoutMs: 5, args: { instanceId: 'a', requestId: 1 } },
  { t: 'call', id: 4, op: 'explode', timeoutMs: 5, args: {} },
  { t: 'call', id: 4, timeoutMs: 5, args: {} },
  { t: 'credit', instanceId: 'a', streamId: 's', chunks: 3 },
  { t: 'credit', instanceId: 'a', streamId: 's', chunks: 'many' },
  { t: 'answer', ticket: 1, answer: { status: PiStatus.OK, value: null } },
  { t: 'answer', ticket: 1, answer: { status: PiStatus.OK } },
  { t: 'shutdown' },
  { t: '__proto__' },
  { t: 7 },
  { nothing: true },
  null,
  'shutdown',
  [],
];

describe('parent message check in the plugin process', () => {
  it.each(samples.map((s) => [JSON.stringify(s), s]))('agrees with the whole union on %s', (_, sample) => {
    expect(isParentMessageLazy(sample)).toBe(validators.isolatedParentMessage.check(sample));
  });

  it('accepts a valid message of every kind and refuses a broken one', () => {
    expect(samples.filter((s) => isParentMessageLazy(s)).length).toBeGreaterThanOrEqual(7);
    expect(samples.filter((s) => !isParentMessageLazy(s)).length).toBeGreaterThanOrEqual(10);
  });
});
