import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PluginHost } from '@plugin-interfaces/host-node';
import type { PluginInfo, ProcessInfo } from '@plugin-interfaces/spec';

/** Library file names (`libecho.so`, …) the way an isolated child maps them. */
const LIBRARY = /\.(so|dylib|dll)$/;

/** The pids of `parentPid`'s children, read from `/proc/<pid>/stat` (Linux). */
export async function childPids(parentPid: number, procRoot = '/proc'): Promise<number[]> {
  const entries = await readdir(procRoot).catch(() => [] as string[]);
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(join(procRoot, name, 'stat'), 'utf8').catch(() => null);
    if (stat === null) continue;
    // Fields after the command name (which may hold spaces): state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parentPid) out.push(Number(name));
  }
  return out;
}

/** The plugin library file names a process has mapped (shadow copies are `<random>-<file>`). */
export async function mappedLibraries(pid: number, procRoot = '/proc'): Promise<string[]> {
  const maps = await readFile(join(procRoot, String(pid), 'maps'), 'utf8').catch(() => '');
  const names = new Set<string>();
  for (const line of maps.split('\n')) {
    const path = line.split(/\s+/).at(-1) ?? '';
    if (!path.includes('pi-host-shadow-') || !LIBRARY.test(path)) continue;
    names.add(basename(path).replace(/^[0-9a-f]+-/, ''));
  }
  return [...names];
}

/** Resident memory of a process in bytes (`VmRSS` of `/proc/<pid>/status`), or null. */
export async function residentBytes(pid: number, procRoot = '/proc'): Promise<number | null> {
  const status = await readFile(join(procRoot, String(pid), 'status'), 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/** The library file names in a plugin's folder. */
async function libraryFiles(plugin: PluginInfo): Promise<string[]> {
  return (await readdir(plugin.dir).catch(() => [] as string[])).filter((f) => LIBRARY.test(f));
}

/**
 * The isolated plugin processes of this server: each child process that has a plugin library
 * mapped, named by the plugin that has running instances and ships that library file, with its
 * resident memory and how often the plugin crashed (and was restarted). Linux only (`/proc`);
 * elsewhere the list is empty. Spare processes (no library yet) are left out.
 */
export async function readProcessInfo(
  host: Pick<PluginHost, 'plugins' | 'snapshot'>,
  restarts: ReadonlyMap<string, number>,
  parentPid = process.pid,
  procRoot = '/proc',
): Promise<ProcessInfo[]> {
  const running = new Set(host.snapshot().instances.map((i) => i.plugin_id));
  const byFile = new Map<string, string[]>();
  for (const plugin of host.plugins()) {
    if (!running.has(plugin.id)) continue;
    for (const file of await libraryFiles(plugin)) byFile.set(file, [...(byFile.get(file) ?? []), plugin.id]);
  }
  const out: ProcessInfo[] = [];
  for (const pid of await childPids(parentPid, procRoot)) {
    const files = await mappedLibraries(pid, procRoot);
    const owners = [...new Set(files.flatMap((f) => byFile.get(f) ?? []))];
    if (owners.length === 0) continue;
    const rss = await residentBytes(pid, procRoot);
    for (const pluginId of owners)
      out.push({ plugin_id: pluginId, pid, rss_bytes: rss, restarts: restarts.get(pluginId) ?? 0 });
  }
  return out.sort((a, b) => a.plugin_id.localeCompare(b.plugin_id));
}

/** Count crashes per plugin from the host's status events (each crash of an isolated plugin restarts it). */
export function countRestarts(host: Pick<PluginHost, 'on'>): {
  readonly counts: ReadonlyMap<string, number>;
  stop(): void;
} {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const off = host.on('plugin-status', (event) => {
    const p = event.payload;
    // One crash of a plugin process marks every instance in it: count crashes of one plugin
    // within the same second once.
    const key = `${p.plugin_id}@${Math.floor(p.timestamp / 1000)}`;
    if (p.state !== 'crashed' || seen.has(key)) return;
    seen.add(key);
    counts.set(p.plugin_id, (counts.get(p.plugin_id) ?? 0) + 1);
  });
  return { counts, stop: off };
}
