import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPluginHost } from '@plugin-interfaces/host-node';
import type { PluginInfo, Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { buildRecorderPlugin, compileRecorder } from './test-fixture-plugin.js';
import { applyChange, isPluginFile, type WatchedHost } from './watch.js';

const plugin = (status: PluginInfo['status'], error?: PluginInfo['error']): PluginInfo => ({
  id: 'echo',
  name: 'Echo',
  version: '1.0.0',
  description: '',
  dir: '/p/echo',
  status,
  require_history: false,
  ...(error === undefined ? {} : { error }),
});

function fakeHost(after: PluginInfo, reload: () => Promise<unknown[]>) {
  const calls: string[] = [];
  const host = {
    rescan: async () => {
      calls.push('rescan');
      return [after];
    },
    plugins: () => [after],
    snapshot: (): Snapshot => ({
      plugins: [after],
      instances: [
        {
          instance_id: 'echo-1',
          plugin_id: 'echo',
          state: 'connected',
          revision: 0,
          tree: [],
          history: [],
          streams: [],
          settings: {},
        },
      ],
      app_config: {},
    }),
    reload: async () => {
      calls.push('reload');
      return reload();
    },
  } as unknown as WatchedHost;
  return { host, calls };
}

describe('watch mode', () => {
  it('reacts to libraries and config.toml only', () => {
    expect(isPluginFile('echo/libecho.so')).toBe(true);
    expect(isPluginFile('echo/config.toml')).toBe(true);
    expect(isPluginFile('echo/notes.txt')).toBe(false);
  });

  it('reloads a changed plugin and says how many instances it kept', async () => {
    const { host, calls } = fakeHost(plugin('ready'), async () => [{}]);
    expect(await applyChange(host, 'echo')).toEqual({
      pluginId: 'echo',
      ok: true,
      message: 'echo changed on disk and was reloaded (1 instance kept).',
    });
    expect(calls).toEqual(['rescan', 'reload']);
  });

  it('keeps the running instances on the previous build when the new config is broken', async () => {
    const { host, calls } = fakeHost(
      plugin('error', { code: 'CONFIG_INVALID', message: 'bad toml' }),
      async () => [],
    );
    const notice = await applyChange(host, 'echo');
    expect(notice.ok).toBe(false);
    expect(notice.message).toMatch(/CONFIG_INVALID: bad toml.*1 running instance keep the previous build/);
    expect(calls).toEqual(['rescan']);
  });

  it('keeps the running instances on the previous build when the rebuilt library would not load', async () => {
    const { host, calls } = fakeHost(plugin('ready'), async () => []);
    const checked: string[][] = [];
    const verify = async (paths: readonly string[]) => {
      checked.push([...paths]);
      return new Map([[paths[0]!, { code: 'ENTRY_SYMBOL_MISSING', message: 'no pi_plugin_entry' }]]);
    };
    const notice = await applyChange(host, 'echo', '/p/echo/libecho.so', verify);
    expect(notice.ok).toBe(false);
    expect(notice.message).toMatch(
      /ENTRY_SYMBOL_MISSING: no pi_plugin_entry.*1 running instance keep the previous build/,
    );
    expect(checked).toEqual([['/p/echo/libecho.so']]);
    expect(calls).toEqual(['rescan']); // never reloaded: the instances were not touched
  });

  it('reloads when the rebuilt library passes the check', async () => {
    const { host, calls } = fakeHost(plugin('ready'), async () => []);
    const verify = async (paths: readonly string[]) => new Map(paths.map((p) => [p, null]));
    expect((await applyChange(host, 'echo', '/p/echo/libecho.so', verify)).ok).toBe(true);
    expect(calls).toEqual(['rescan', 'reload']);
  });

  it('reports a failed reload instead of throwing', async () => {
    const { host } = fakeHost(plugin('ready'), async () => {
      throw new Error('library has no entry point');
    });
    expect((await applyChange(host, 'echo')).message).toMatch(
      /could not be reloaded \(library has no entry point\); 1 running instance keep the previous build/,
    );
  });

  for (const isolation of ['in-process', 'isolated'] as const)
    it(`${isolation}: a rebuild that loads but fails on_mount shows the error and the old build keeps answering`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'pi-watch-'));
      try {
        const id = await buildRecorderPlugin(root);
        await using host = await createPluginHost({ pluginDirs: [root], isolation });
        await host.load(id, { instanceId: 'r' });
        await host.connect('r');
        await host.handleMessage('r', 'before');
        const library = join(root, id, `lib${id}.so`);
        await copyFile(compileRecorder(join(root, 'broken.so'), ['-DMOUNT_FAILS']), library);

        const notice = await applyChange(host, id, library);

        expect(notice.ok).toBe(false);
        expect(notice.message).toMatch(
          /could not be reloaded \(.*this rebuild refuses to mount\); 1 running instance keep the previous build/,
        );
        expect(host.instance('r').state).toBe('connected');
        expect((await host.handleMessage('r', 'still here')).reply).toBe('still here');
        expect(host.history('r').messages.map((m) => m.content)).toEqual([
          'before',
          'before',
          'still here',
          'still here',
        ]);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
});
