import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/events.js';
import { type FakeBehavior, FakeDriver, fail } from '../../../test/support/fake-driver.js';
import { makePluginRoot } from '../../../test/support/plugin-folders.js';
import type { DriverFault, DriverHooks } from '../../driver/types.js';
import { isHostError } from '../../errors.js';
import { createPluginHost } from '../plugin-host.js';

const settingsToml = '[settings.model]\ntype = "select"\noptions = ["small", "large"]\ndefault = "small"\n';

/** A fake driver whose faults the test raises itself (as the isolated driver's supervisor would). */
class FaultyFakeDriver extends FakeDriver {
  hooks: DriverHooks | undefined;
  override loadLibrary(path: string, hooks: DriverHooks) {
    this.hooks = hooks;
    return super.loadLibrary(path, hooks);
  }
  fault(fault: DriverFault): void {
    this.hooks?.onFault?.(fault);
  }
}

const crashed = (instanceIds: string[], restartInMs: number | null = 100): DriverFault => ({
  kind: 'crashed',
  code: 'PLUGIN_CRASHED',
  pluginId: 'a',
  libraryPath: '/x/liba.so',
  cause: 'signal',
  signal: 'SIGSEGV',
  exitCode: null,
  inFlight: ['handle_message(i1, request 1)'],
  instanceIds,
  crashCount: 1,
  restartInMs,
  message: 'The process of plugin a died during handle_message(i1, request 1): it was killed by SIGSEGV.',
});
const restarted = (instanceIds: string[]): DriverFault => ({
  kind: 'restarted',
  pluginId: 'a',
  libraryPath: '/x/liba.so',
  instanceIds,
  failedInstanceIds: [],
  attempt: 1,
});

const disabled: DriverFault = {
  kind: 'disabled',
  code: 'PLUGIN_DISABLED_AFTER_CRASHES',
  pluginId: 'a',
  libraryPath: '/x/liba.so',
  crashCount: 3,
  message: 'Plugin a crashed 3 times within 300 s and was disabled.',
};

async function faultyHost(behavior: FakeBehavior = {}) {
  const folder = await makePluginRoot([{ id: 'a', requireHistory: true, extra: settingsToml }]);
  const driver = new FaultyFakeDriver({ a: behavior });
  const host = await createPluginHost({
    pluginDirs: [folder.root],
    driver,
    logger: { log: () => undefined },
  });
  const states: string[] = [];
  host.on('plugin-status', (e) => states.push(e.payload.state));
  return {
    host,
    driver,
    states,
    async [Symbol.asyncDispose]() {
      await host.close();
      await folder[Symbol.asyncDispose]();
    },
  };
}

describe('PluginHost driver faults', () => {
  it('a crash rejects a deferred reply with PLUGIN_CRASHED, ends open streams and keeps history', async () => {
    await using t = await faultyHost({
      handle: (ctx, _id, message) => {
        if (message === 'stream') ctx.emit({ kind: 'stream_start', streamId: 's1', title: null });
        return { ok: true, pending: true };
      },
    });
    await t.host.load('a', { instanceId: 'i1' });
    await t.host.connect('i1');
    const waiting = t.host.handleMessage('i1', 'stream').catch((e: unknown) => e);
    await waitFor(() => (t.host.instance('i1').streams.length === 1 ? true : undefined));
    t.driver.fault(crashed(['i1']));
    const error = await waiting;
    expect(isHostError(error) && error.code).toBe('PLUGIN_CRASHED');
    const info = t.host.instance('i1');
    expect(info).toMatchObject({ state: 'crashed', error: { code: 'PLUGIN_CRASHED', retryable: true } });
    expect(info.error?.message).toMatch(/SIGSEGV.*Restarting in 100 ms/);
    expect(info.streams).toMatchObject([{ stream_id: 's1', state: 'error' }]);
    expect(info.history.map((h) => h.role)).toEqual(['user', 'plugin', 'system']);
    await expect(t.host.handleMessage('i1', 'again')).rejects.toMatchObject({ code: 'LIFECYCLE_ORDER' });
  });

  it('after restarted: on_mount, apply_settings, on_connect, set_history with the kept history, a frame', async () => {
    await using t = await faultyHost();
    await t.host.load('a', { instanceId: 'i1' });
    await t.host.connect('i1');
    await t.host.setSettings('i1', { model: 'large' });
    await t.host.handleMessage('i1', 'hello');
    await waitFor(() => (t.host.instance('i1').history.length === 2 ? true : undefined));
    await t.host.refresh('i1'); // the frame that follows the message, drawn before the crash
    t.driver.fault(crashed(['i1']));
    const before = t.driver.calls.length;
    t.driver.fault(restarted(['i1']));
    await waitFor(() => (t.driver.calls.slice(before).includes('i1:update_ui') ? true : undefined));
    expect(t.driver.calls.slice(before)).toEqual([
      'i1:on_mount',
      'i1:apply_settings',
      'i1:on_connect',
      'i1:set_history',
      'i1:update_ui',
    ]);
    expect(JSON.parse(t.driver.contexts.get('i1')?.history ?? '[]')).toHaveLength(2);
    expect(t.driver.contexts.get('i1')?.settings).toBe('{"model":"large"}');
    expect(t.states.slice(-3)).toEqual(['crashed', 'mounted', 'connected']);
    expect(t.host.instance('i1').error).toBeUndefined();
  });

  it('a failed on_mount after the restart leaves the instance crashed; unload still works', async () => {
    let restarted_ = false;
    await using t = await faultyHost({
      lifecycle: (_ctx, entry) => (restarted_ && entry === 'on_mount' ? fail('no mount') : { ok: true }),
    });
    await t.host.load('a', { instanceId: 'i1' });
    t.driver.fault(crashed(['i1']));
    restarted_ = true;
    t.driver.fault(restarted(['i1']));
    await waitFor(() =>
      /failed to mount again/.test(t.host.instance('i1').error?.message ?? '') ? true : undefined,
    );
    expect(t.host.instance('i1')).toMatchObject({ state: 'crashed', error: { code: 'PLUGIN_CRASHED' } });
    expect(t.host.instance('i1').error?.message).toMatch(/failed to mount again.*no mount/);
    await t.host.unload('i1');
    expect(t.states.at(-1)).toBe('destroyed');
  });

  it('disabled puts every instance into disabled with PLUGIN_DISABLED_AFTER_CRASHES', async () => {
    await using t = await faultyHost();
    await t.host.load('a', { instanceId: 'i1' });
    await t.host.load('a', { instanceId: 'i2' });
    t.driver.fault(crashed(['i1', 'i2'], null));
    t.driver.fault(disabled);
    for (const id of ['i1', 'i2'])
      expect(t.host.instance(id)).toMatchObject({
        state: 'disabled',
        error: { code: 'PLUGIN_DISABLED_AFTER_CRASHES' },
      });
    expect(t.host.plugins()[0]).toMatchObject({ status: 'disabled', isolation: 'in-process' });
    await expect(t.host.load('a')).rejects.toMatchObject({ code: 'PLUGIN_DISABLED_AFTER_CRASHES' });
  });
  it('disable during a live stream ends it with the reason, and a message says disabled, not connect()', async () => {
    await using t = await faultyHost();
    await t.host.load('a', { instanceId: 'i1' });
    await t.host.connect('i1');
    const ends: unknown[] = [];
    t.host.on('plugin-stream', (e) => {
      if (e.payload.type === 'stream_end') ends.push(e.payload.data);
    });
    t.driver.contexts.get('i1')?.emit({ kind: 'stream_start', streamId: 's9', title: null });
    await expect.poll(() => t.host.instance('i1').streams.length).toBe(1);
    t.driver.fault(disabled);
    expect(ends).toEqual([{ stream_id: 's9', success: false, error: expect.stringMatching(/disabled/) }]);
    const refused = await t.host.handleMessage('i1', 'hello').catch((e: unknown) => e);
    expect(isHostError(refused) && refused.message).toMatch(/disabled after repeated crashes/);
    expect(isHostError(refused) && refused.message).not.toMatch(/connect\(\) first/);
  });
});
