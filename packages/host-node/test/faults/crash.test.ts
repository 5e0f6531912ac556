import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { DriverInstance, DriverLibrary } from '../../src/driver/types.js';
import {
  buildFaultPlugins,
  expectAcceptedKept,
  type FaultPlugins,
  faultyInstance,
  healthyNeighbour,
  metaFor,
  type Recorder,
  recorder,
  rejectsWith,
  rmFaultPlugins,
} from './support.js';

let plugins: FaultPlugins;
let driver: IsolatedDriver;
let rec: Recorder;
let neighbour: Awaited<ReturnType<typeof healthyNeighbour>>;

beforeAll(async () => {
  plugins = buildFaultPlugins();
  rec = recorder();
  driver = new IsolatedDriver({
    crashPolicy: { maxCrashes: 1000 },
    backoff: { baseMs: 20, maxMs: 100 },
    timeouts: { handleMessage: 2000, lifecycle: 2000, destroy: 2000 },
  });
  neighbour = await healthyNeighbour(driver, plugins.healthy, rec);
});

afterAll(async () => {
  await driver?.close();
  rmFaultPlugins(plugins);
});

type EntryPoint =
  | 'create'
  | 'on_mount'
  | 'on_connect'
  | 'update_ui'
  | 'handle_message'
  | 'set_history'
  | 'on_disconnect'
  | 'on_dispose'
  | 'destroy';

function callEntry(inst: DriverInstance, at: Exclude<EntryPoint, 'create'>): Promise<unknown> {
  switch (at) {
    case 'update_ui':
      return inst.updateUi([]);
    case 'handle_message':
      return inst.handleMessage(7, 'segv');
    case 'set_history':
      return inst.sendJson('set_history', '[]');
    case 'destroy':
      return inst.destroy();
    default:
      return inst.lifecycle(at);
  }
}

let current: DriverLibrary | undefined;
let copies = 0;
/** The fault library of the running test (a copy, so it gets a plugin process of its own). */
let faultPath = '';

/**
 * A plugin process of the test's own: the fault library copied to a new path (the isolated
 * driver runs one process per library), with a fresh recorder and a well-behaved instance that
 * already sent a message the crash must not lose. The previous test's library is closed first,
 * so one test's crash, restart or late fault cannot reach the next test.
 */
async function freshFaultLibrary(): Promise<{ lib: DriverLibrary; bystander: DriverInstance; mark: number }> {
  await current?.close().catch(() => undefined);
  faultPath = join(plugins.dir, `fault-copy-${++copies}.so`);
  copyFileSync(plugins.fault, faultPath);
  rec = recorder();
  current = await driver.loadLibrary(faultPath, rec.hooks);
  const bystander = await faultyInstance(current, faultPath, rec);
  return { lib: current, bystander, mark: rec.faults.length };
}

/** After a crash: restarted, the bystander re-created and answering, the neighbour unaffected. */
async function expectRecovered(mark: number, bystander: DriverInstance): Promise<void> {
  const restarted = await rec.fault('restarted', mark);
  expect(restarted.instanceIds).toContain(bystander.instanceId);
  expectAcceptedKept(rec, bystander.instanceId);
  expect(await bystander.handleMessage(2, 'echo:after the restart')).toEqual({
    ok: true,
    pending: false,
    reply: 'after the restart',
  });
  await neighbour.stillServes();
}

describe('isolated driver: a segfault in any entry point is contained', () => {
  const entries: EntryPoint[] = [
    'create',
    'on_mount',
    'on_connect',
    'update_ui',
    'handle_message',
    'set_history',
    'on_disconnect',
    'on_dispose',
    'destroy',
  ];
  for (const at of entries) {
    it(`a NULL dereference in ${at} rejects the call with PLUGIN_CRASHED naming SIGSEGV and the call, then restarts`, async () => {
      const { lib, bystander, mark } = await freshFaultLibrary();
      const settings = at === 'handle_message' ? {} : { at, do: 'segv' };
      let err: Error & { code: string };
      if (at === 'create') {
        err = await rejectsWith(lib.createInstance(metaFor(faultPath, 'fault', settings)), 'PLUGIN_CRASHED');
      } else {
        const victim = await lib.createInstance(metaFor(faultPath, 'fault', settings));
        err = await rejectsWith(callEntry(victim, at), 'PLUGIN_CRASHED');
      }
      expect(err.message).toContain('SIGSEGV');
      expect(err.message).toContain(at);
      const crashed = await rec.fault('crashed', mark);
      expect(crashed).toMatchObject({
        code: 'PLUGIN_CRASHED',
        pluginId: 'fault',
        cause: 'signal',
        signal: 'SIGSEGV',
      });
      expect(crashed.inFlight.join(' ')).toContain(at);
      await expectRecovered(mark, bystander);
    });
  }
});

describe('isolated driver: abort, exit and a closed channel', () => {
  it('abort() in handle_message is reported as SIGABRT and the plugin restarts', async () => {
    const { lib, bystander, mark } = await freshFaultLibrary();
    const victim = await lib.createInstance(metaFor(faultPath, 'fault'));
    const err = await rejectsWith(victim.handleMessage(3, 'abort'), 'PLUGIN_CRASHED');
    expect(err.message).toContain('SIGABRT');
    expect(await rec.fault('crashed', mark)).toMatchObject({ cause: 'signal', signal: 'SIGABRT' });
    await expectRecovered(mark, bystander);
  });

  it('exit(3) in handle_message is reported with exit code 3 and the plugin restarts', async () => {
    const { bystander, mark } = await freshFaultLibrary();
    const err = await rejectsWith(bystander.handleMessage(3, 'exit'), 'PLUGIN_CRASHED');
    expect(err.message).toContain('code 3');
    expect(await rec.fault('crashed', mark)).toMatchObject({ cause: 'exit', exitCode: 3, signal: null });
    await expectRecovered(mark, bystander);
  });

  it('a plugin that closes the IPC channel (EOF) is treated as dead and restarted', async () => {
    const { bystander, mark } = await freshFaultLibrary();
    await bystander.handleMessage(3, 'close_ipc').catch(() => undefined);
    const crashed = await rec.fault('crashed', mark);
    expect(['disconnect', 'exit']).toContain(crashed.cause);
    await expectRecovered(mark, bystander);
  });

  it('every pending call is rejected with PLUGIN_CRASHED naming its own call, none is left hanging', async () => {
    const { lib, bystander, mark } = await freshFaultLibrary();
    const other = await lib.createInstance(metaFor(faultPath, 'fault'));
    const crash = bystander.handleMessage(4, 'segv');
    const queued = other.handleMessage(5, 'echo:queued behind the crash');
    const ui = other.updateUi([]);
    const [a, b, c] = await Promise.allSettled([crash, queued, ui]);
    for (const r of [a, b, c]) expect(r.status).toBe('rejected');
    const reason = (r: PromiseSettledResult<unknown>) =>
      r.status === 'rejected' ? (r.reason as { code: string; message: string }) : null;
    expect(reason(a)).toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(reason(b)?.message).toContain(`handle_message(${other.instanceId}, request 5)`);
    expect(reason(c)?.message).toContain(`update_ui(${other.instanceId})`);
    const crashed = await rec.fault('crashed', mark);
    expect(crashed.inFlight).toHaveLength(3);
    await expectRecovered(mark, bystander);
  });

  it('calls made between the crash and the restart fail fast with a retryable PLUGIN_CRASHED', async () => {
    const { bystander, mark } = await freshFaultLibrary();
    await rejectsWith(bystander.handleMessage(3, 'segv'), 'PLUGIN_CRASHED');
    const err = await rejectsWith(bystander.handleMessage(4, 'echo:too early'), 'PLUGIN_CRASHED');
    expect((err as unknown as { retryable: boolean }).retryable).toBe(true);
    await expectRecovered(mark, bystander);
  });

  it('the crash is reported within a few milliseconds of the death', async () => {
    const { bystander, mark } = await freshFaultLibrary();
    const t0 = performance.now();
    await rejectsWith(bystander.handleMessage(3, 'segv'), 'PLUGIN_CRASHED');
    await rec.fault('crashed', mark);
    // Generous for a loaded CI machine; the benchmark reports the real figure.
    expect(performance.now() - t0).toBeLessThan(500);
    await expectRecovered(mark, bystander);
  });
});

describe('isolated driver: repeated crashes', () => {
  it('restarts with growing back-off, then disables the plugin after 3 crashes with the reason', async () => {
    const r = recorder();
    await using d = new IsolatedDriver({
      crashPolicy: { maxCrashes: 3, windowMs: 60_000 },
      backoff: { baseMs: 10, maxMs: 1000 },
    });
    const lib = await d.loadLibrary(plugins.fault, r.hooks);
    const inst = await faultyInstance(lib, plugins.fault, r);
    for (let i = 1; i <= 2; i++) {
      const mark = r.faults.length;
      await rejectsWith(inst.handleMessage(10 + i, 'segv'), 'PLUGIN_CRASHED');
      expect(await r.fault('crashed', mark)).toMatchObject({ crashCount: i, restartInMs: 10 * 2 ** (i - 1) });
      await r.fault('restarted', mark);
    }
    const mark = r.faults.length;
    await rejectsWith(inst.handleMessage(13, 'segv'), 'PLUGIN_CRASHED');
    expect(await r.fault('crashed', mark)).toMatchObject({ crashCount: 3, restartInMs: null });
    const disabled = await r.fault('disabled', mark);
    expect(disabled).toMatchObject({ code: 'PLUGIN_DISABLED_AFTER_CRASHES', crashCount: 3 });
    expect(disabled.message).toContain('SIGSEGV');
    const err = await rejectsWith(inst.handleMessage(14, 'echo:x'), 'PLUGIN_DISABLED_AFTER_CRASHES');
    expect(err.message).toContain('3 times');
    expectAcceptedKept(r, inst.instanceId);
    await neighbour.stillServes();
  });

  it('closing the driver leaves no plugin process behind', async () => {
    const d = new IsolatedDriver({ warmSpare: false });
    const lib = await d.loadLibrary(plugins.healthy, rec.hooks);
    const pid = (lib as unknown as { supervisor: { pid: number } }).supervisor.pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await d.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await neighbour.stillServes();
  });
});
