import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { DriverLibrary } from '../../src/driver/types.js';
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
let lib: DriverLibrary;

beforeAll(async () => {
  plugins = buildFaultPlugins();
  rec = recorder();
  driver = new IsolatedDriver({
    crashPolicy: { maxCrashes: 1000 },
    backoff: { baseMs: 20, maxMs: 100 },
    timeouts: { handleMessage: 400, updateUi: 300, destroy: 300, lifecycle: 300 },
  });
  neighbour = await healthyNeighbour(driver, plugins.healthy, rec);
  lib = await driver.loadLibrary(plugins.fault, rec.hooks);
});

afterAll(async () => {
  await driver?.close();
  rmFaultPlugins(plugins);
});

describe('isolated driver: hangs and deadlines', () => {
  it('an infinite loop in handle_message times out, the process is killed and the instance comes back', async () => {
    const inst = await faultyInstance(lib, plugins.fault, rec);
    const mark = rec.faults.length;
    const err = await rejectsWith(inst.handleMessage(2, 'loop'), 'TIMEOUT');
    expect(err.message).toContain('400 ms');
    expect(await rec.fault('crashed', mark)).toMatchObject({ cause: 'unresponsive', signal: 'SIGKILL' });
    await rec.fault('restarted', mark);
    expect(await inst.handleMessage(3, 'echo:alive')).toMatchObject({ ok: true, reply: 'alive' });
    expectAcceptedKept(rec, inst.instanceId);
    await neighbour.stillServes();
  });

  it('an infinite loop in update_ui times out with the update_ui deadline', async () => {
    const inst = await faultyInstance(lib, plugins.fault, rec, { at: 'update_ui', do: 'loop' });
    const mark = rec.faults.length;
    const err = await rejectsWith(inst.updateUi([]), 'TIMEOUT');
    expect(err.message).toContain('update_ui');
    expect((await rec.fault('crashed', mark)).inFlight.join()).toContain('update_ui');
    await rec.fault('restarted', mark);
    expectAcceptedKept(rec, inst.instanceId);
    await neighbour.stillServes();
  });

  it('a slow call past a per-call deadline is TIMEOUT; a quick one under the default still answers', async () => {
    const inst = await faultyInstance(lib, plugins.fault, rec);
    expect(await inst.handleMessage(2, 'sleep:50')).toMatchObject({ ok: true, reply: 'slept' });
    const mark = rec.faults.length;
    const err = await rejectsWith(inst.handleMessage(3, 'sleep:2000', { timeoutMs: 150 }), 'TIMEOUT');
    expect(err.message).toContain('150 ms');
    await rec.fault('restarted', mark);
    expectAcceptedKept(rec, inst.instanceId);
    await neighbour.stillServes();
  });

  it('a hang in destroy times out; the instance is gone and the other instances are re-created', async () => {
    const keeper = await faultyInstance(lib, plugins.fault, rec);
    const hanger = await lib.createInstance(metaFor(plugins.fault, 'fault', { at: 'destroy', do: 'hang' }));
    const mark = rec.faults.length;
    await rejectsWith(hanger.destroy(), 'TIMEOUT');
    const restarted = await rec.fault('restarted', mark);
    expect(restarted.instanceIds).toContain(keeper.instanceId);
    expect(restarted.instanceIds).not.toContain(hanger.instanceId);
    await rejectsWith(hanger.handleMessage(9, 'echo:x'), 'LIFECYCLE_ORDER');
    expect(await keeper.handleMessage(2, 'echo:kept')).toMatchObject({ reply: 'kept' });
    expectAcceptedKept(rec, keeper.instanceId);
    await neighbour.stillServes();
  });

  it('an aborted call rejects with CANCELLED at once', async () => {
    const inst = await faultyInstance(lib, plugins.fault, rec);
    const ac = new AbortController();
    const p = inst.handleMessage(2, 'sleep:200', { signal: ac.signal });
    ac.abort();
    await rejectsWith(p, 'CANCELLED');
    await neighbour.stillServes();
  });
});

describe('isolated driver: memory and shutdown', () => {
  it('runaway memory is killed at the RSS cap and reported as a memory fault', async () => {
    const r = recorder();
    await using d = new IsolatedDriver({
      warmSpare: false,
      limits: { maxRssBytes: 256 * 1024 * 1024, rssPollMs: 25 },
      timeouts: { handleMessage: 20_000 },
    });
    const l = await d.loadLibrary(plugins.fault, r.hooks);
    const inst = await faultyInstance(l, plugins.fault, r);
    const err = await rejectsWith(inst.handleMessage(2, 'oom'), 'PLUGIN_CRASHED');
    expect(err.message).toMatch(/MiB \(cap 256 MiB\)/);
    expect(await r.fault('crashed')).toMatchObject({ cause: 'memory', signal: 'SIGKILL' });
    expectAcceptedKept(r, inst.instanceId);
    await neighbour.stillServes();
  });

  it('closing a driver whose plugin is stuck in a loop is bounded: ask, wait, kill', async () => {
    const r = recorder();
    const d = new IsolatedDriver({
      warmSpare: false,
      shutdownGraceMs: 300,
      timeouts: { handleMessage: 30_000 },
    });
    const l = await d.loadLibrary(plugins.fault, r.hooks);
    const inst = await faultyInstance(l, plugins.fault, r);
    const stuck = inst.handleMessage(2, 'loop');
    await new Promise((res) => setTimeout(res, 50));
    const t0 = performance.now();
    await d.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(stuck).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(r.faults).toEqual([]);
    await neighbour.stillServes();
  });
});
