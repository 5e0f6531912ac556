import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import { createPluginHost, type PluginHost } from '../../src/index.js';
import { buildFaultPlugins, type FaultPlugins, rmFaultPlugins } from './support.js';

/**
 * call_other_plugin made inside handle_message, on the thread the host called the plugin on
 * (`call_js_reply:<target>` in fault.c answers "<status> <value>"), through the real PluginHost.
 */
let plugins: FaultPlugins;
let root: string;

function pluginFolder(id: string, lib: string, extra: readonly string[] = []): void {
  const dir = join(root, id);
  mkdirSync(dir);
  copyFileSync(lib, join(dir, `lib${id}.so`));
  const config = ['[plugin]', `id = "${id}"`, `name = "${id}"`, 'version = "0.1.0"', `description = "${id}"`];
  writeFileSync(join(dir, 'config.toml'), [...config, 'abi = "1.0"', ...extra, ''].join('\n'));
}

beforeAll(() => {
  plugins = buildFaultPlugins();
  root = join(plugins.dir, 'plugins');
  mkdirSync(root);
  pluginFolder('caller', plugins.fault, ['[permissions]', 'call_plugins = ["healthy"]']);
  pluginFolder('healthy', plugins.healthy);
});
afterAll(() => rmFaultPlugins(plugins));

async function pair(host: PluginHost) {
  const caller = (await host.load('caller')).instance_id;
  const target = (await host.load('healthy')).instance_id;
  await host.connect(caller);
  await host.connect(target);
  const targetTexts = () => host.history(target).messages.map((m) => m.content);
  return { caller, target, targetTexts };
}

describe('call_other_plugin from inside handle_message (the host thread), in-process', () => {
  it('reaches a target that answers synchronously and returns its reply to the caller', async () => {
    await using host = await createPluginHost({ pluginDirs: [root], logger: { log: () => undefined } });
    const { caller, targetTexts } = await pair(host);
    const { reply } = await host.handleMessage(caller, 'call_js_reply:healthy');
    expect(reply).toBe('0 healthy 1: hi');
    expect(targetTexts()).toEqual(['hi', 'healthy 1: hi']);
    // Twice in a row: the target's queue is idle again after a synchronous delivery.
    expect((await host.handleMessage(caller, 'call_js_reply:healthy')).reply).toBe('0 healthy 2: hi');
  });

  it('a refused call (not in call_plugins) answers PERMISSION_DENIED and reaches nothing', async () => {
    await using host = await createPluginHost({ pluginDirs: [root], logger: { log: () => undefined } });
    const { caller } = await pair(host);
    const other = (await host.load('caller')).instance_id; // a caller may not call its own plugin
    expect((await host.handleMessage(caller, `call_js_reply:${other}`)).reply).toMatch(/^-\d+ \(null\)$/);
    expect(host.history(other).messages).toEqual([]);
  });
});

describe('call_other_plugin from inside handle_message, isolated', () => {
  it('the caller process waits on its request pipe while the host delivers to the target process', async () => {
    const driver = new IsolatedDriver({ warmSpare: false });
    const host = await createPluginHost({
      pluginDirs: [root],
      driverFor: () => driver,
      logger: { log: () => undefined },
    });
    try {
      const { caller, targetTexts } = await pair(host);
      expect((await host.handleMessage(caller, 'call_js_reply:healthy')).reply).toBe('0 healthy 1: hi');
      expect((await host.handleMessage(caller, 'call_js_reply:healthy')).reply).toBe('0 healthy 2: hi');
      expect(targetTexts()).toEqual(['hi', 'healthy 1: hi', 'hi', 'healthy 2: hi']);
      // A refusal still comes back at once with its reason, and reaches nothing.
      const other = (await host.load('caller')).instance_id;
      expect((await host.handleMessage(caller, `call_js_reply:${other}`)).reply).toMatch(/^-\d+ \(null\)$/);
      expect(host.history(other).messages).toEqual([]);
    } finally {
      await host.close();
      await driver.close();
    }
  });
});
