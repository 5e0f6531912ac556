import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrontendEvent } from '@plugin-interfaces/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import { createPluginHost, type PluginHost } from '../../src/index.js';
import { buildFaultPlugins, type FaultPlugins, rejectsWith, rmFaultPlugins } from './support.js';

/**
 * The isolated driver under the real PluginHost: what the host does with a crash (typed
 * rejection, plugin-status crashed → lifecycle re-run → connected, disabled after repeated
 * crashes, reload re-enables). Most tests bring their own driver through `driverFor` (fast
 * back-off); one goes through the `isolation` option.
 */
let plugins: FaultPlugins;
let root: string;

function pluginFolder(id: string, lib: string, extra: readonly string[] = []): void {
  const dir = join(root, id);
  mkdirSync(dir);
  copyFileSync(lib, join(dir, `lib${id}.so`));
  writeFileSync(
    join(dir, 'config.toml'),
    [
      '[plugin]',
      `id = "${id}"`,
      `name = "${id}"`,
      'version = "0.1.0"',
      `description = "fault suite ${id}"`,
      'abi = "1.0"',
      ...extra,
      '',
    ].join('\n'),
  );
}

beforeAll(() => {
  plugins = buildFaultPlugins();
  root = join(plugins.dir, 'plugins');
  mkdirSync(root);
  pluginFolder('fault', plugins.fault);
  pluginFolder('healthy', plugins.healthy);
  pluginFolder('fault-history', plugins.fault, ['require_history = true']);
});
afterAll(() => rmFaultPlugins(plugins));

async function isolatedHost(): Promise<{ host: PluginHost; events: FrontendEvent[] } & AsyncDisposable> {
  const driver = new IsolatedDriver({ crashPolicy: { maxCrashes: 3 }, backoff: { baseMs: 20, maxMs: 50 } });
  const host = await createPluginHost({ pluginDirs: [root], driverFor: () => driver });
  const events: FrontendEvent[] = [];
  host.on('*', (e) => events.push(e));
  return {
    host,
    events,
    async [Symbol.asyncDispose]() {
      await host.close();
      await driver.close();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `pred` holds (restarts from sources take ~0.5 s when the spare process is still starting). */
async function until(what: string, pred: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const statesOf = (events: readonly FrontendEvent[], id: string) =>
  events.flatMap((e) =>
    e.event === 'plugin-status' && e.payload.instance_id === id ? [e.payload.state] : [],
  );

describe('PluginHost over the isolated driver', () => {
  it('a crash rejects the message with PLUGIN_CRASHED, keeps the history, and the other plugin keeps answering', async () => {
    await using t = await isolatedHost();
    const { instance_id: fault } = await t.host.load('fault');
    const { instance_id: healthy } = await t.host.load('healthy');
    await t.host.connect(fault);
    await t.host.connect(healthy);
    expect((await t.host.handleMessage(fault, 'echo:kept')).reply).toBe('kept');
    await rejectsWith(t.host.handleMessage(fault, 'segv'), 'PLUGIN_CRASHED');
    const history = t.host.instance(fault).history.map((h) => h.content);
    expect(history.slice(0, 2)).toEqual(['echo:kept', 'kept']);
    expect((await t.host.handleMessage(healthy, 'hello')).reply).toMatch(/^healthy \d+: hello$/);
  });

  it('the same instance answers again once the driver has restarted its process', async () => {
    await using t = await isolatedHost();
    const { instance_id: fault } = await t.host.load('fault');
    await t.host.connect(fault);
    await rejectsWith(t.host.handleMessage(fault, 'segv'), 'PLUGIN_CRASHED');
    await until('the restart', () => {
      const states = statesOf(t.events, fault);
      return states.includes('crashed') && states.at(-1) === 'connected';
    });
    expect((await t.host.handleMessage(fault, 'echo:back')).reply).toBe('back');
  });

  it('a crash is shown as plugin-status "crashed" with the PLUGIN_CRASHED error', async () => {
    await using t = await isolatedHost();
    const { instance_id: fault } = await t.host.load('fault');
    await t.host.connect(fault);
    await t.host.handleMessage(fault, 'segv').catch(() => undefined);
    await until('crashed', () => statesOf(t.events, fault).includes('crashed'));
    const status = t.events.find((e) => e.event === 'plugin-status' && e.payload.state === 'crashed');
    expect(status?.payload).toMatchObject({ instance_id: fault, error: { code: 'PLUGIN_CRASHED' } });
  });

  it('after the restart the host re-runs the lifecycle and the instance is connected again', async () => {
    await using t = await isolatedHost();
    const { instance_id: fault } = await t.host.load('fault');
    await t.host.connect(fault);
    await t.host.handleMessage(fault, 'segv').catch(() => undefined);
    await until('the restart', () => statesOf(t.events, fault).at(-1) === 'connected');
    expect(t.host.instance(fault).state).toBe('connected');
    const states = statesOf(t.events, fault);
    expect(states).toContain('crashed');
    expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('crashed'));
  });

  it('three crashes are shown as plugin-status "disabled" with PLUGIN_DISABLED_AFTER_CRASHES', async () => {
    await using t = await isolatedHost();
    const { instance_id: fault } = await t.host.load('fault');
    await t.host.connect(fault);
    for (let i = 0; i < 3; i++) {
      await until('connected', () => t.host.instance(fault).state === 'connected');
      await t.host.handleMessage(fault, 'segv').catch(() => undefined);
    }
    await until('disabled', () => t.host.instance(fault).state === 'disabled');
    const status = t.events.find((e) => e.event === 'plugin-status' && e.payload.state === 'disabled');
    expect(status?.payload).toMatchObject({ error: { code: 'PLUGIN_DISABLED_AFTER_CRASHES' } });
  });

  it('history survives a crash and the restart, and a message sent after the restart is answered', async () => {
    await using t = await isolatedHost();
    const { instance_id: id } = await t.host.load('fault-history');
    await t.host.connect(id);
    expect((await t.host.handleMessage(id, 'echo:one')).reply).toBe('one');
    await rejectsWith(t.host.handleMessage(id, 'segv'), 'PLUGIN_CRASHED');
    await rejectsWith(t.host.handleMessage(id, 'echo:while down'), 'LIFECYCLE_ORDER');
    await until('the restart', () => t.host.instance(id).state === 'connected');
    expect((await t.host.handleMessage(id, 'echo:two')).reply).toBe('two');
    const history = t.host.instance(id).history;
    expect(history.map((h) => [h.role, h.content, h.status])).toEqual([
      ['user', 'echo:one', 'completed'],
      ['plugin', 'one', 'completed'],
      ['user', 'segv', 'completed'],
      ['system', '', 'error'],
      ['system', '', 'error'],
      ['user', 'echo:two', 'completed'],
      ['plugin', 'two', 'completed'],
    ]);
    expect(history[3]?.error).toMatch(/SIGSEGV/);
    expect(history[4]?.error).toMatch(/is crashed: message is not allowed/);
  });

  it('a disabled instance can be unloaded, and reload() re-enables the plugin', async () => {
    await using t = await isolatedHost();
    const { instance_id: a } = await t.host.load('fault', { instanceId: 'a' });
    await t.host.connect(a);
    for (let i = 0; i < 3; i++) {
      await until('connected', () => t.host.instance(a).state === 'connected');
      await t.host.handleMessage(a, 'segv').catch(() => undefined);
    }
    await until('disabled', () => t.host.instance(a).state === 'disabled');
    expect(t.host.plugins().find((p) => p.id === 'fault')).toMatchObject({
      status: 'disabled',
      error: { code: 'PLUGIN_DISABLED_AFTER_CRASHES' },
    });
    await rejectsWith(t.host.load('fault'), 'PLUGIN_DISABLED_AFTER_CRASHES');
    const [info] = await t.host.reload('fault');
    expect(info).toMatchObject({ instance_id: 'a', state: 'connected' });
    expect(t.host.plugins().find((p) => p.id === 'fault')?.status).toBe('ready');
    expect((await t.host.handleMessage(a, 'echo:again')).reply).toBe('again');
    await t.host.unload(a);
    expect(() => t.host.instance(a)).toThrow(/No instance/);
  });

  it('isolation: "isolated" runs plugins in a driver the host owns, and PluginInfo says so', async () => {
    const host = await createPluginHost({
      pluginDirs: [root],
      isolation: (p) => (p.id === 'healthy' ? 'in-process' : 'isolated'),
      isolatedDriver: { backoff: { baseMs: 20, maxMs: 50 } },
    });
    try {
      const modes = Object.fromEntries(host.plugins().map((p) => [p.id, p.isolation]));
      expect(modes).toMatchObject({ fault: 'isolated', healthy: 'in-process' });
      const { instance_id: id } = await host.load('fault');
      await host.connect(id);
      await rejectsWith(host.handleMessage(id, 'segv'), 'PLUGIN_CRASHED');
      await until('the restart', () => host.instance(id).state === 'connected');
      expect((await host.handleMessage(id, 'echo:ok')).reply).toBe('ok');
    } finally {
      await host.close();
    }
  });
});
