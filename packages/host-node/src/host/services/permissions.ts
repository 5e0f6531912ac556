import type { PluginConfig } from '@plugin-interfaces/spec';

/** True when `[permissions] app_config` lists `key`. */
export function mayReadAppConfig(config: PluginConfig, key: string): boolean {
  return config.permissions?.app_config?.includes(key) ?? false;
}

/** True when `[permissions] call_plugins` lists `targetPluginId` or `"*"`. */
export function mayCallPlugin(config: PluginConfig, targetPluginId: string): boolean {
  const list = config.permissions?.call_plugins ?? [];
  return list.includes('*') || list.includes(targetPluginId);
}
