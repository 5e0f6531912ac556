import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFaultPlugins,
  type FaultPlugins,
  metaFor,
  recorder,
  rmFaultPlugins,
} from '../../../test/faults/support.js';
import { isHostError } from '../../errors.js';
import { IsolatedDriver } from './isolated-driver.js';

let plugins: FaultPlugins;
beforeAll(() => {
  plugins = buildFaultPlugins();
});
afterAll(() => rmFaultPlugins(plugins));

describe('isolated driver under concurrency', () => {
  it('50 concurrent loads all succeed: process starts queue instead of starving each other', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false });
    const rec = recorder();
    const loads = Array.from({ length: 50 }, async (_, i) => {
      const lib = await driver.loadLibrary(plugins.healthy, rec.hooks);
      const inst = await lib.createInstance(metaFor(plugins.healthy, `healthy${i}`));
      return inst.lifecycle('on_mount');
    });
    const results = await Promise.allSettled(loads);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failed).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.ok)).toBe(true);
  }, 120_000);

  it('a start past its deadline is PLUGIN_START_TIMEOUT naming the plugin, not a crash of a "spare process"', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false, startTimeoutMs: 1 });
    const err = await driver.loadLibrary(plugins.healthy, recorder().hooks).catch((e: unknown) => e);
    expect(isHostError(err, 'PLUGIN_START_TIMEOUT')).toBe(true);
    expect((err as Error).message).toContain('healthy.so');
    expect((err as Error).message).not.toContain('spare');
    expect(isHostError(err) && err.retryable).toBe(true);
  });

  it('plugin processes run built JavaScript on plain Node, without the TypeScript loader', async () => {
    await using driver = new IsolatedDriver({ warmSpare: false });
    const lib = await driver.loadLibrary(plugins.healthy, recorder().hooks);
    const pid = lib.supervisor.pid;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv.some((a) => a.includes('tsx'))).toBe(false);
    expect(argv.some((a) => a.endsWith('.launch.cjs') || a.endsWith('child-main.js'))).toBe(true);
  });
});
