import { describe, expect, it } from 'vitest';
import { validators } from '../validators.js';
import { ISOLATED_IPC_VERSION } from './isolated-ipc.js';

const call = (op: string, args: unknown) => ({ t: 'call', id: 1, op, timeoutMs: null, args });

describe('isolated IPC schemas', () => {
  it('accept a call only with the arguments of its own op', () => {
    const parent = validators.isolatedParentMessage;
    expect(parent.check(call('handleMessage', { instanceId: 'a', requestId: 1, message: 'x' }))).toBe(true);
    expect(parent.check(call('handleMessage', { path: '/lib.so' }))).toBe(false);
    expect(parent.check(call('load', { path: '/lib.so', sha256: null }))).toBe(true);
    expect(parent.check(call('lifecycle', { instanceId: 'a', entry: 'update_ui' }))).toBe(false);
    expect(parent.check(call('format_disk', {}))).toBe(false);
  });

  it('check a result against its op and refuse events and errors the spec does not know', () => {
    expect(validators.isolatedOpResult('handleMessage').check({ ok: true, pending: true })).toBe(true);
    expect(validators.isolatedOpResult('handleMessage').check({ ok: true })).toBe(false);
    expect(validators.isolatedOpResult('destroy').check(null)).toBe(true);
    const child = validators.isolatedChildMessage;
    expect(child.check({ t: 'ready', protocol: ISOLATED_IPC_VERSION, pid: 7 })).toBe(true);
    expect(child.check({ t: 'events', batches: [{ instanceId: 'a', events: [{ kind: 'teleport' }] }] })).toBe(
      false,
    );
    const violation = (code: string) => ({ kind: 'violation', code, message: 'm' });
    const events = (e: unknown) => ({ t: 'events', batches: [{ instanceId: 'a', events: [e] }] });
    expect(child.check(events(violation('EVENT_RATE_EXCEEDED')))).toBe(true);
    expect(child.check(events(violation('LIMIT_EXCEEDED')))).toBe(false);
    expect(child.check({ t: 'result', id: 1, ok: true })).toBe(false);
  });
});
