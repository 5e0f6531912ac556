import { type FSWatcher, watch } from 'node:fs';
import { basename, join, sep } from 'node:path';
import type { PluginHost } from '@plugin-interfaces/host-node';

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
  return file === 'config.toml' || /\.(so|dylib|dll)$/.test(file);
}

/**
 * React to one changed plugin: rescan; a plugin whose `config.toml` is now broken keeps its
 * running instances on the previous build and the error is reported; otherwise it is reloaded
 * (instances keep their ids, settings and history). Never throws.
 */
export async function applyChange(host: WatchedHost, pluginId: string): Promise<WatchNotice> {
  try {
    await host.rescan();
    const plugin = host.plugins().find((p) => p.id === pluginId);
    if (plugin === undefined) return { pluginId, ok: false, message: `${pluginId} is gone from its folder.` };
    if (plugin.status === 'error') {
      const running = host.snapshot().instances.filter((i) => i.plugin_id === pluginId).length;
      return {
        pluginId,
        ok: false,
        message: `${pluginId} changed but is broken (${plugin.error?.code ?? 'error'}: ${plugin.error?.message ?? 'unknown'}); ${running} running instance${running === 1 ? '' : 's'} keep the previous build.`,
      };
    }
    const kept = await host.reload(pluginId);
    return {
      pluginId,
      ok: true,
      message: `${pluginId} changed on disk and was reloaded${kept.length > 0 ? ` (${kept.length} instance${kept.length === 1 ? '' : 's'} kept)` : ''}.`,
    };
  } catch (e) {
    return {
      pluginId,
      ok: false,
      message: `${pluginId} changed but could not be reloaded: ${e instanceof Error ? e.message : String(e)}`,
    };
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
  const watchers: FSWatcher[] = [];
  const schedule = (pluginId: string): void => {
    clearTimeout(timers.get(pluginId));
    timers.set(
      pluginId,
      setTimeout(() => {
        timers.delete(pluginId);
        const previous = busy.get(pluginId) ?? Promise.resolve();
        busy.set(
          pluginId,
          previous.then(async () => notify(await applyChange(host, pluginId))),
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
        if (plugin !== undefined) schedule(plugin.id);
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
