import type { PluginInfo, SettingSpec } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from './types.js';

/** A secret's default (an API key left in a `[user]` table) never leaves the host in a view. */
function withoutSecretDefaults(settings: Record<string, SettingSpec>): Record<string, SettingSpec> {
  const out: Record<string, SettingSpec> = {};
  for (const [key, spec] of Object.entries(settings)) {
    if (spec.type === 'string' && spec.secret === true && spec.default !== undefined) {
      const { default: _hidden, ...rest } = spec;
      out[key] = rest;
    } else out[key] = spec;
  }
  return out;
}

/**
 * Project a discovered plugin onto the `PluginInfo` that lists and snapshots show. A plugin
 * whose config could not be read shows its folder name as name and empty version/description;
 * the error keeps its code, message and file location. Config warnings, `category` and `tags` are
 * shown; the default of a secret setting is not.
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
  if (meta?.category !== undefined) info.category = meta.category;
  if (meta?.tags !== undefined) info.tags = [...meta.tags];
  const settings = plugin.config?.settings;
  if (settings !== undefined) info.settings = withoutSecretDefaults(settings);
  if (plugin.warnings !== undefined && plugin.warnings.length > 0) info.warnings = [...plugin.warnings];
  if (plugin.error !== undefined) {
    const loc = plugin.error.location;
    info.error =
      loc === undefined ? plugin.error.toInfo() : { ...plugin.error.toInfo(), location: { ...loc } };
  }
  return info;
}
