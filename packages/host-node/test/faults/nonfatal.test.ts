import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessDriver } from '../../src/driver/in-process/index.js';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { DriverInstance, DriverLibrary, PluginDriver, PluginEvent } from '../../src/driver/types.js';
import { PiStatus } from '../../src/pi-status.js';
import {
  buildFaultPlugins,
  expectAcceptedKept,
  type FaultPlugins,
  faultyInstance,
  healthyNeighbour,
  type Recorder,
  recorder,
  rejectsWith,
  rmFaultPlugins,
} from './support.js';

/**
 * Faults that do not kill the process, run against both drivers: each yields a typed outcome,
 * error or violation event, the neighbour keeps answering, and what was accepted is kept.
 */
const drivers: ReadonlyArray<readonly [string, () => PluginDriver]> = [
  [
    'in-process',
    () => new InProcessDriver({ autoCredit: true, requestTimeoutMs: 300, destroyGraceMs: 1000 }),
  ],
  [
    'isolated',
    () =>
      new IsolatedDriver({
        autoCredit: true,
        requestTimeoutMs: 300,
        destroyGraceMs: 1000,
        crashPolicy: { maxCrashes: 1000 },
        timeouts: { handleMessage: 5000 },
      }),
  ],
];

let plugins: FaultPlugins;
beforeAll(() => {
  plugins = buildFaultPlugins();
});
afterAll(() => rmFaultPlugins(plugins));

describe.each(drivers)('%s driver: non-fatal faults', (_kind, make) => {
  let driver: PluginDriver;
  let rec: Recorder;
  let lib: DriverLibrary;
  let neighbour: Awaited<ReturnType<typeof healthyNeighbour>>;
  let inst: DriverInstance;

  beforeAll(async () => {
    driver = make();
    rec = recorder();
    neighbour = await healthyNeighbour(driver, plugins.healthy, rec);
    lib = await driver.loadLibrary(plugins.fault, rec.hooks);
  });
  afterAll(async () => {
    await driver.close();
  });

  /** A fresh instance that already sent a message; after the test: kept, neighbour serves, no crash. */
  async function withInstance(body: (inst: DriverInstance) => Promise<void>): Promise<void> {
    inst = await faultyInstance(lib, plugins.fault, rec);
    const faultsBefore = rec.faults.length;
    await body(inst);
    expect(await inst.handleMessage(99, 'echo:still here')).toMatchObject({ ok: true, reply: 'still here' });
    expectAcceptedKept(rec, inst.instanceId);
    expect(rec.faults.slice(faultsBefore)).toEqual([]);
    await neighbour.stillServes();
    await inst.destroy();
  }

  const eventsOf = (id: string): PluginEvent[] =>
    rec.events.filter((e) => e.instanceId === id).map((e) => e.event);

  it('a reply that is not valid UTF-8 is refused as INVALID_UTF8', () =>
    withInstance(async (i) => {
      await expect(i.handleMessage(2, 'bad_utf8_reply')).rejects.toMatchObject({
        code: 'INVALID_UTF8',
        message: expect.stringContaining('is not valid UTF-8'),
      });
    }));

  it('send_message with invalid UTF-8 is refused with INVALID_ARGUMENT and an INVALID_UTF8 violation', () =>
    withInstance(async (i) => {
      expect(await i.handleMessage(2, 'bad_utf8_send')).toMatchObject({ ok: true, reply: '-2' });
      await rec.until('the violation', () =>
        rec.violations(i.instanceId).some((v) => v.code === 'INVALID_UTF8'),
      );
      expect(rec.messages(i.instanceId)).toEqual(['accepted before the fault']);
    }));

  it('send_to_frontend with invalid JSON is refused with an INVALID_JSON violation', () =>
    withInstance(async (i) => {
      expect(await i.handleMessage(2, 'bad_json')).toMatchObject({ ok: true, reply: '-2' });
      await rec.until('the violation', () =>
        rec.violations(i.instanceId).some((v) => v.code === 'INVALID_JSON'),
      );
      expect(eventsOf(i.instanceId).some((e) => e.kind === 'custom')).toBe(false);
    }));

  it('a send_message over 1 MiB is refused with LIMIT_EXCEEDED and a PAYLOAD_TOO_LARGE violation', () =>
    withInstance(async (i) => {
      expect(await i.handleMessage(2, 'big_send')).toMatchObject({ ok: true, reply: '-9' });
      await rec.until('the violation', () =>
        rec.violations(i.instanceId).some((v) => v.code === 'PAYLOAD_TOO_LARGE'),
      );
    }));

  it('a reply over 1 MiB is refused with PAYLOAD_TOO_LARGE', () =>
    withInstance(async (i) => {
      await rejectsWith(i.handleMessage(2, 'big_reply'), 'PAYLOAD_TOO_LARGE');
    }));

  it('OK with a NULL reply is a reply of null, not a crash', () =>
    withInstance(async (i) => {
      expect(await i.handleMessage(2, 'null_ok')).toEqual({ ok: true, pending: false, reply: null });
    }));

  it('an out-of-range status code becomes an INTERNAL failure naming the status', () =>
    withInstance(async (i) => {
      const out = await i.handleMessage(2, 'bad_status');
      expect(out).toMatchObject({ ok: false, status: PiStatus.INTERNAL });
      expect(out.ok ? '' : out.message).toContain('12345');
    }));

  it('an ERROR status with an empty error envelope still yields a failure with a message', () =>
    withInstance(async (i) => {
      const out = await i.handleMessage(2, 'err_no_message');
      expect(out).toMatchObject({ ok: false, status: PiStatus.ERROR });
      expect(out.ok ? '' : out.message).not.toBe('');
    }));

  it('a flood of 1e6 chunks without waiting is held to the credit window; every accepted chunk arrives', () =>
    withInstance(async (i) => {
      const out = await i.handleMessage(2, 'flood:1000000');
      const m = /^ok=(\d+) refused=(\d+)$/.exec(out.ok && !out.pending ? (out.reply ?? '') : '');
      expect(m).not.toBeNull();
      const accepted = Number(m?.[1]);
      expect(accepted).toBeLessThanOrEqual(256);
      expect(accepted + Number(m?.[2])).toBe(1_000_000);
      await rec.until('the stream end', () => eventsOf(i.instanceId).some((e) => e.kind === 'stream_end'));
      expect(eventsOf(i.instanceId).filter((e) => e.kind === 'stream_data')).toHaveLength(accepted);
    }));

  it('data after end, a second end and data on an unknown stream are refused without corrupting the stream', () =>
    withInstance(async (i) => {
      const out = await i.handleMessage(2, 'stream_abuse');
      const [data, end, late, endAgain, unknown] = (out.ok && !out.pending ? (out.reply ?? '') : '')
        .split(' ')
        .map(Number);
      expect([data, end]).toEqual([0, 0]);
      expect(late).toBe(-3);
      expect(endAgain).toBe(-3);
      expect(unknown).toBe(-4);
      await rec.until('the stream end', () => eventsOf(i.instanceId).some((e) => e.kind === 'stream_end'));
      const kinds = eventsOf(i.instanceId)
        .filter((e) => e.kind.startsWith('stream_'))
        .map((e) => e.kind);
      expect(kinds).toEqual(['stream_start', 'stream_data', 'stream_end']);
    }));

  it('a plugin thread blocked on a host call that needs the blocked thread times out instead of deadlocking', () =>
    withInstance(async (i) => {
      expect(await i.handleMessage(2, 'deadlock')).toMatchObject({ ok: true, reply: '-6' });
    }));

  it('call_other_plugin on the calling thread gets a synchronous answer of the host, in both modes', () =>
    withInstance(async (i) => {
      const out = await i.handleMessage(2, 'call_on_js_thread');
      expect(out).toMatchObject({ ok: true, reply: '0' });
    }));

  for (const [ui, what] of [
    ['deep', 'a UI tree 10,000 groups deep'],
    ['wide', 'a UI frame with 100,000 widgets'],
    ['unbalanced', 'unbalanced end_group/pop_id calls'],
    ['open', 'a group left open'],
    ['big', 'a 2 MiB label'],
  ] as const) {
    it(`${what} is refused with UI_TREE_INVALID`, () =>
      withInstance(async (i) => {
        await i.handleMessage(2, `ui:${ui}`);
        await rejectsWith(i.updateUi([]), 'UI_TREE_INVALID');
        await i.handleMessage(3, 'ui:ok');
        expect(await i.updateUi([])).toMatchObject({ ok: true, tree: [{ type: 'label', text: 'fine' }] });
      }));
  }

  it('__proto__, constructor and prototype widget ids stay plain strings and pollute nothing', () =>
    withInstance(async (i) => {
      await i.handleMessage(2, 'ui:proto');
      const out = await i.updateUi([{ widget_id: '__proto__', kind: 'click' }]);
      expect(out.ok && out.tree.map((n) => n.id)).toEqual(['__proto__', 'constructor', 'prototype']);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).text).toBeUndefined();
    }));

  it('a label with invalid UTF-8 is shown with replacement characters, not raw bytes', () =>
    withInstance(async (i) => {
      await i.handleMessage(2, 'ui:badutf8');
      const out = await i.updateUi([]);
      expect(out.ok && out.tree[0]?.type === 'label' ? out.tree[0].text : '').toContain('\uFFFD');
    }));

  it('out-of-order lifecycle calls are answered, not crashed on', () =>
    withInstance(async (i) => {
      for (const entry of ['on_disconnect', 'on_dispose', 'on_connect', 'on_mount'] as const) {
        expect(await i.lifecycle(entry)).toEqual({ ok: true });
      }
    }));

  it('a callback from a lingering thread after destroy is dropped; calls after destroy are LIFECYCLE_ORDER', async () => {
    const i = await faultyInstance(lib, plugins.fault, rec);
    // A second instance of the library reports how many lingering threads have finished.
    const probe = await faultyInstance(lib, plugins.fault, rec);
    const lingersDone = async () => {
      const out = await probe.handleMessage(100, 'lingers_done');
      return out.ok && !out.pending ? Number(out.reply) : Number.NaN;
    };
    const doneBefore = await lingersDone();
    await i.handleMessage(2, 'linger');
    await i.destroy();
    const after = rec.events.length;
    await expect.poll(lingersDone, { timeout: 5000 }).toBe(doneBefore + 1);
    expect(rec.events.slice(after).filter((e) => e.instanceId === i.instanceId)).toEqual([]);
    await probe.destroy();
    await rejectsWith(i.handleMessage(3, 'echo:x'), 'LIFECYCLE_ORDER');
    expectAcceptedKept(rec, i.instanceId);
    await neighbour.stillServes();
  });

  const lies = [
    ['wrongAbi', 'ABI_MAJOR_MISMATCH', 'a wrong ABI major version'],
    ['nullVtable', 'ENTRY_INVALID', 'a NULL vtable'],
    ['noEntry', 'ENTRY_SYMBOL_MISSING', 'a missing entry symbol'],
    ['nullEntry', 'ENTRY_INVALID', 'an entry that returns NULL'],
  ] as const;
  for (const [name, code, what] of lies) {
    it(`a library with ${what} is refused with ${code}`, async () => {
      await rejectsWith(driver.loadLibrary(plugins[name], rec.hooks), code);
      await neighbour.stillServes();
    });
  }
});

describe('isolated driver: limits checked in the parent', () => {
  let driver: IsolatedDriver;
  let rec: Recorder;
  let lib: DriverLibrary;
  beforeAll(async () => {
    driver = new IsolatedDriver({ autoCredit: true, limits: { maxEventsPerSecond: 50 } });
    rec = recorder();
    lib = await driver.loadLibrary(plugins.fault, rec.hooks);
  });
  afterAll(() => driver.close());

  it('a message over 1 MiB to the plugin is refused before it is sent', async () => {
    const i = await faultyInstance(lib, plugins.fault, rec);
    await rejectsWith(i.handleMessage(2, 'x'.repeat(1024 * 1024 + 1)), 'PAYLOAD_TOO_LARGE');
    await rejectsWith(i.sendJson('set_history', `[${'"x",'.repeat(300_000)}"x"]`), 'PAYLOAD_TOO_LARGE');
    expect(await i.handleMessage(3, 'echo:ok')).toMatchObject({ reply: 'ok' });
  });

  it('events beyond the per-second rate are dropped with one EVENT_RATE_EXCEEDED violation', async () => {
    const i = await faultyInstance(lib, plugins.fault, rec);
    // Log lines: stream chunks are not counted (the credit window holds them).
    await i.handleMessage(2, 'logflood:200');
    await rec.until('the flood violation', () =>
      rec.violations(i.instanceId).some((v) => v.code === 'EVENT_RATE_EXCEEDED'),
    );
    expect(rec.violations(i.instanceId).filter((v) => v.code === 'EVENT_RATE_EXCEEDED')).toHaveLength(1);
  });

  it('a thread that outlives its instance and library is contained: closing still ends the process', async () => {
    const r = recorder();
    const d = new IsolatedDriver({ warmSpare: false, shutdownGraceMs: 500, destroyGraceMs: 200 });
    const l = await d.loadLibrary(plugins.fault, r.hooks);
    const i = await faultyInstance(l, plugins.fault, r);
    await i.handleMessage(2, 'outlive');
    await i.destroy().catch(() => undefined);
    const pid = (l as unknown as { supervisor: { pid: number } }).supervisor.pid;
    const t0 = performance.now();
    await l.close();
    await d.close();
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(() => process.kill(pid, 0)).toThrow();
    expectAcceptedKept(r, i.instanceId);
  });
});
