import type { PluginInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from './types.js';

/**
 * Project a discovered plugin onto the `PluginInfo` that lists and snapshots show. A plugin
 * whose config could not be read shows its folder name as name and empty version/description;
 * the error keeps its code, message and file location.
 */
export function toPluginInfo(plugin: DiscoveredPlugin): PluginInfo {
  const meta = plugin.config?.plugin;
  const info: PluginInfo = {
    id: plugin.id,
    name: meta?.name ?? plugin.id,
    version: meta?.version ?? '',
    description: meta?.description ?? '',
    dir: plugin.dir,
    status: plugin.status,
    require_history: meta?.require_history ?? false,
  };
  if (meta?.author !== undefined) info.author = meta.author;
  const settings = plugin.config?.settings;
  if (settings !== undefined) info.settings = settings;
  if (plugin.error !== undefined) {
    const loc = plugin.error.location;
    info.error =
      loc === undefined ? plugin.error.toInfo() : { ...plugin.error.toInfo(), location: { ...loc } };
  }
  return info;
}
