import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrontendEvent, PluginInfo, Snapshot } from '@plugin-interfaces/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { countRestarts, readProcessInfo } from './process-info.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A fake /proc with one child holding a plugin library, one spare child, and an unrelated process. */
async function fakeProc(root: string): Promise<void> {
  const proc = async (pid: number, ppid: number, maps: string, rssKb: number) => {
    await mkdir(join(root, 'proc', String(pid)), { recursive: true });
    await writeFile(join(root, 'proc', String(pid), 'stat'), `${pid} (node (child)) S ${ppid} 1 1`);
    await writeFile(join(root, 'proc', String(pid), 'maps'), maps);
    await writeFile(join(root, 'proc', String(pid), 'status'), `Name:\tnode\nVmRSS:\t  ${rssKb} kB\n`);
  };
  await proc(11, 10, '7f00-7f10 r-xp 0 00:00 1 /tmp/pi-host-shadow-11/4ebefb4c555b-libecho.so\n', 51200);
  await proc(12, 10, '7f00-7f10 r-xp 0 00:00 1 /usr/lib/libc.so.6\n', 40000);
  await proc(13, 99, '7f00-7f10 r-xp 0 00:00 1 /tmp/pi-host-shadow-13/aa-libecho.so\n', 1);
}

const plugin = (id: string, dir: string): PluginInfo => ({
  id,
  name: id,
  version: '1.0.0',
  description: '',
  dir,
  status: 'ready',
  require_history: false,
});

describe('plugin process info', () => {
  it('names each child process by the running plugin whose library it mapped, with its memory and restarts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pg-proc-'));
    dirs.push(root);
    await fakeProc(root);
    for (const id of ['echo', 'echo-copy']) {
      await mkdir(join(root, id), { recursive: true });
      await writeFile(join(root, id, 'libecho.so'), '');
    }
    const host = {
      plugins: () => [plugin('echo', join(root, 'echo')), plugin('echo-copy', join(root, 'echo-copy'))],
      snapshot: (): Snapshot => ({
        plugins: [],
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
    };
    const info = await readProcessInfo(host, new Map([['echo', 2]]), 10, join(root, 'proc'));
    expect(info).toEqual([{ plugin_id: 'echo', pid: 11, rss_bytes: 51200 * 1024, restarts: 2 }]);
  });

  it('counts a crash of a plugin once even when several of its instances report it', () => {
    let listener: ((e: FrontendEvent & { event: 'plugin-status' }) => void) | undefined;
    const host = {
      on: (_n: 'plugin-status', l: (e: FrontendEvent & { event: 'plugin-status' }) => void) => {
        listener = l;
        return () => undefined;
      },
    };
    const { counts } = countRestarts(host as never);
    const crash = (instance: string, timestamp: number): void =>
      listener?.({
        event: 'plugin-status',
        payload: { plugin_id: 'echo', instance_id: instance, timestamp, state: 'crashed' },
      });
    crash('a', 5_000);
    crash('b', 5_010);
    crash('a', 9_000);
    expect(counts.get('echo')).toBe(2);
  });
});
