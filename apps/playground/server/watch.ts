import { type FSWatcher, watch } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { type PluginHost, verifyLibraries } from '@plugin-interfaces/host-node';

/** What the watcher did for one plugin. */
export interface WatchNotice {
  readonly pluginId: string;
  readonly ok: boolean;
  readonly message: string;
}

/** The host operations the watcher uses. */
export type WatchedHost = Pick<PluginHost, 'plugins' | 'rescan' | 'reload' | 'snapshot'>;

/** Files whose change means a plugin was rebuilt or reconfigured. */
export function isPluginFile(name: string): boolean {
  const file = basename(name);
  return file === 'config.toml' || isLibraryFile(file);
}

function isLibraryFile(name: string): boolean {
  return /\.(so|dylib|dll)$/.test(basename(name));
}

/** Opens libraries in a child process and says which would fail to load (host-node's `verifyLibraries`). */
export type VerifyLibraries = (
  paths: readonly string[],
) => Promise<Map<string, { message: string; code: string } | null>>;

/**
 * React to one changed plugin: rescan; a plugin whose `config.toml` is now broken, or whose rebuilt
 * library (`library`, when a library file changed) would not load – checked in a child process
 * before anything is unloaded –, keeps its running instances on the previous build and the error is
 * reported; otherwise it is reloaded (instances keep their ids, settings and history). A rebuild
 * that loads but fails in create or on_mount is refused by `host.reload` (it loads first), and the
 * instances keep running on the previous build too. Never throws.
 */
export async function applyChange(
  host: WatchedHost,
  pluginId: string,
  library: string | null = null,
  verify: VerifyLibraries = verifyLibraries,
): Promise<WatchNotice> {
  /** The previous build keeps running: say why, and how many instances run on it. */
  const kept = (what: string, why: string): WatchNotice => {
    const running = host.snapshot().instances.filter((i) => i.plugin_id === pluginId).length;
    return {
      pluginId,
      ok: false,
      message: `${pluginId} changed but ${what} (${why}); ${running} running instance${running === 1 ? '' : 's'} keep the previous build.`,
    };
  };
  const broken = (why: string): WatchNotice => kept('is broken', why);
  try {
    await host.rescan();
    const plugin = host.plugins().find((p) => p.id === pluginId);
    if (plugin === undefined) return { pluginId, ok: false, message: `${pluginId} is gone from its folder.` };
    if (plugin.status === 'error')
      return broken(`${plugin.error?.code ?? 'error'}: ${plugin.error?.message ?? 'unknown'}`);
    if (library !== null) {
      const problem = (await verify([library])).get(library);
      if (problem) return broken(`${problem.code}: ${problem.message}`);
    }
    const moved = await host.reload(pluginId);
    return {
      pluginId,
      ok: true,
      message: `${pluginId} changed on disk and was reloaded${moved.length > 0 ? ` (${moved.length} instance${moved.length === 1 ? '' : 's'} kept)` : ''}.`,
    };
  } catch (e) {
    // A rebuild that loads but fails in create or on_mount: the host put the instances back.
    const code = typeof e === 'object' && e !== null && 'code' in e ? `${String(e.code)}: ` : '';
    return kept('could not be reloaded', `${code}${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Watch the plugin folders: when a plugin's library or `config.toml` changes, wait until the
 * writes settle (`settleMs`), then {@link applyChange} and report the outcome. Changes to one
 * plugin are handled one at a time.
 */
export function watchPlugins(
  host: WatchedHost,
  dirs: readonly string[],
  notify: (notice: WatchNotice) => void,
  settleMs = 300,
): { close(): void } {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const busy = new Map<string, Promise<void>>();
  /** The library file that changed since the plugin was last handled, if one did. */
  const libraries = new Map<string, string>();
  const watchers: FSWatcher[] = [];
  const schedule = (pluginId: string): void => {
    clearTimeout(timers.get(pluginId));
    timers.set(
      pluginId,
      setTimeout(() => {
        timers.delete(pluginId);
        const library = libraries.get(pluginId) ?? null;
        libraries.delete(pluginId);
        const previous = busy.get(pluginId) ?? Promise.resolve();
        busy.set(
          pluginId,
          previous.then(async () => notify(await applyChange(host, pluginId, library))),
        );
      }, settleMs),
    );
  };
  for (const dir of dirs) {
    try {
      const w = watch(dir, { recursive: true }, (_event, name) => {
        if (typeof name !== 'string' || !isPluginFile(name)) return;
        const folder = join(dir, name.split(sep)[0] ?? '');
        const plugin = host.plugins().find((p) => p.dir === folder);
        if (plugin === undefined) return;
        if (isLibraryFile(name)) libraries.set(plugin.id, join(dir, name));
        schedule(plugin.id);
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A folder that cannot be watched (missing, no permission) is skipped.
    }
  }
  return {
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
