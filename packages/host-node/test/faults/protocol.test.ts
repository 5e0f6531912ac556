import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import { isChildMessage, isParentMessage, PROTOCOL_VERSION } from '../../src/driver/isolated/ipc-protocol.js';
import type { DriverInstance } from '../../src/driver/types.js';
import { metaFor, type Recorder, recorder, rejectsWith } from './support.js';

const lying = pathToFileURL(
  fileURLToPath(new URL('../fixtures/faults/lying-driver.ts', import.meta.url)),
).href;

describe('IPC protocol guards', () => {
  it('accept well-formed messages of the current protocol and refuse malformed ones', () => {
    const inner = { autoCredit: false, creditWindow: 256, requestTimeoutMs: 1000, destroyGraceMs: 1000 };
    expect(
      isParentMessage({
        t: 'hello',
        protocol: PROTOCOL_VERSION,
        options: { driverModule: null, maxBatchEvents: 8, inner },
      }),
    ).toBe(true);
    expect(
      isParentMessage({ t: 'hello', protocol: 1, options: { driverModule: 3, maxBatchEvents: 8, inner } }),
    ).toBe(false);
    expect(
      isParentMessage({
        t: 'call',
        id: 1,
        op: 'handleMessage',
        timeoutMs: 10,
        args: { instanceId: 'a', requestId: 1, message: 'x' },
      }),
    ).toBe(true);
    expect(
      isParentMessage({
        t: 'call',
        id: 1,
        op: 'handleMessage',
        timeoutMs: 10,
        args: { instanceId: 'a', requestId: '1', message: 'x' },
      }),
    ).toBe(false);
    expect(isParentMessage({ t: 'call', id: 1, op: 'rm -rf', timeoutMs: 10, args: {} })).toBe(false);
    expect(
      isParentMessage({
        t: 'call',
        id: 1,
        op: 'updateUi',
        timeoutMs: null,
        args: { instanceId: 'a', events: [{ widget_id: 'b', kind: 'click' }] },
      }),
    ).toBe(true);
    expect(
      isParentMessage({
        t: 'call',
        id: 1,
        op: 'updateUi',
        timeoutMs: null,
        args: { instanceId: 'a', events: [{ widget_id: 'b', kind: 'explode' }] },
      }),
    ).toBe(false);
    expect(
      isChildMessage({
        t: 'events',
        batches: [{ instanceId: 'a', events: [{ kind: 'log', level: 'info', text: 't' }] }],
      }),
    ).toBe(true);
    expect(
      isChildMessage({
        t: 'events',
        batches: [{ instanceId: 'a', events: [{ kind: 'log', level: 'loud', text: 't' }] }],
      }),
    ).toBe(false);
    expect(
      isChildMessage({
        t: 'result',
        id: 3,
        ok: false,
        error: { code: 'NOT_A_CODE', message: 'm', retryable: false },
      }),
    ).toBe(false);
    expect(isChildMessage({ t: 'result', id: 3, ok: true, value: null })).toBe(true);
    expect(isChildMessage({ t: 'ready', protocol: 1, pid: 'x' })).toBe(false);
    expect(isChildMessage(null)).toBe(false);
    expect(isChildMessage([])).toBe(false);
  });
});

describe('isolated driver: a child that lies is killed as a protocol violation', () => {
  let driver: IsolatedDriver;
  let rec: Recorder;
  let inst: DriverInstance;
  beforeAll(async () => {
    rec = recorder();
    driver = new IsolatedDriver({
      driverModule: lying,
      crashPolicy: { maxCrashes: 1000 },
      backoff: { baseMs: 10, maxMs: 10 },
    });
    const lib = await driver.loadLibrary('/nonexistent/lying.so', rec.hooks);
    inst = await lib.createInstance(metaFor('/nonexistent/lying.so', 'liar'));
    await inst.handleMessage(1, 'send');
    await rec.until('the honest message', () => rec.messages(inst.instanceId).includes('honest'));
  });
  afterAll(() => driver.close());

  it('a malformed event kills the child (cause protocol); earlier events are kept and it restarts', async () => {
    const mark = rec.faults.length;
    await inst.handleMessage(2, 'bogus-event').catch(() => undefined);
    expect(await rec.fault('crashed', mark)).toMatchObject({ cause: 'protocol' });
    await rec.fault('restarted', mark);
    expect(rec.messages(inst.instanceId)).toEqual(['honest']);
    expect(await inst.handleMessage(3, 'again')).toEqual({ ok: true, pending: false, reply: 'again' });
  });

  it('a malformed result is an INTERNAL error for the call and a protocol fault', async () => {
    const mark = rec.faults.length;
    await rejectsWith(inst.handleMessage(4, 'bogus-result'), 'INTERNAL');
    expect(await rec.fault('crashed', mark)).toMatchObject({ cause: 'protocol' });
    await rec.fault('restarted', mark);
  });

  it('a UI tree deeper than the limits is refused by the parent with UI_TREE_INVALID', async () => {
    const err = await rejectsWith(inst.updateUi([]), 'UI_TREE_INVALID');
    expect(err.message).toContain('deeper than 32');
  });
});

describe('isolated driver: heartbeat', () => {
  it('an event loop stuck outside any call is caught by the idle heartbeat and restarted', async () => {
    const r = recorder();
    await using d = new IsolatedDriver({
      driverModule: lying,
      warmSpare: false,
      limits: { heartbeatMs: 150 },
      backoff: { baseMs: 10, maxMs: 10 },
    });
    const lib = await d.loadLibrary('/nonexistent/lying.so', r.hooks);
    const inst = await lib.createInstance(metaFor('/nonexistent/lying.so', 'liar'));
    expect(await inst.handleMessage(1, 'freeze-later')).toMatchObject({ ok: true, reply: 'freeze-later' });
    const crashed = await r.fault('crashed');
    expect(crashed).toMatchObject({ cause: 'unresponsive', inFlight: ['heartbeat'] });
    await r.fault('restarted');
    expect(await inst.handleMessage(2, 'back')).toMatchObject({ ok: true, reply: 'back' });
  });
});

describe('isolated driver: processes that cannot start', () => {
  it('a child whose driver cannot be created fails the load with PLUGIN_CRASHED, quickly', async () => {
    await using d = new IsolatedDriver({ driverModule: 'file:///nonexistent/driver.js', warmSpare: false });
    const err = await rejectsWith(d.loadLibrary('/nonexistent/lying.so', recorder().hooks), 'PLUGIN_CRASHED');
    expect(err.message).toContain('code 71');
  });

  it('restarts that cannot start count as crashes and end in PLUGIN_DISABLED_AFTER_CRASHES', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-lying-'));
    const flag = join(dir, 'fail');
    process.env.PI_LYING_FAIL_FILE = flag;
    try {
      const r = recorder();
      await using d = new IsolatedDriver({
        driverModule: lying,
        warmSpare: false,
        crashPolicy: { maxCrashes: 3 },
        backoff: { baseMs: 10, maxMs: 20 },
      });
      const lib = await d.loadLibrary('/nonexistent/lying.so', r.hooks);
      const inst = await lib.createInstance(metaFor('/nonexistent/lying.so', 'liar'));
      writeFileSync(flag, '');
      await rejectsWith(inst.handleMessage(1, 'exit'), 'PLUGIN_CRASHED');
      const disabled = await r.fault('disabled');
      expect(r.faults.map((f) => (f.kind === 'crashed' ? f.cause : f.kind))).toEqual([
        'exit',
        'spawn',
        'spawn',
        'disabled',
      ]);
      expect(disabled.message).toContain('did not start');
      await rejectsWith(inst.handleMessage(2, 'x'), 'PLUGIN_DISABLED_AFTER_CRASHES');
    } finally {
      delete process.env.PI_LYING_FAIL_FILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
