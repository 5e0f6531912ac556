import type { InstanceInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../discovery/index.js';
import type { InstanceMetadata } from '../driver/types.js';
import type { HostInstance, LoadedLibrary } from './instance.js';

/** The InstanceInfo a snapshot shows for one instance (copies, never live state). */
export function instanceInfo(instance: HostInstance): InstanceInfo {
  const info: InstanceInfo = {
    instance_id: instance.id,
    plugin_id: instance.pluginId,
    state: instance.state,
    revision: instance.revision,
    tree: structuredClone(instance.tree),
    history: instance.history.list(),
    streams: instance.streams.list(),
    settings: { ...instance.settings },
  };
  if (instance.error !== undefined) info.error = { ...instance.error };
  return info;
}

/** The metadata the plugin receives at create. */
export function metadataFor(
  plugin: DiscoveredPlugin,
  lib: LoadedLibrary,
  instanceId: string,
  settings: Record<string, unknown>,
): InstanceMetadata {
  const meta = lib.config.plugin;
  return {
    id: meta.id,
    name: meta.name,
    description: meta.description,
    version: meta.version,
    author: meta.author ?? null,
    pluginDir: plugin.dir,
    libraryPath: lib.library.info.path,
    configPath: plugin.configPath,
    instanceId,
    settingsJson: JSON.stringify(settings),
    requireHistory: meta.require_history ?? false,
  };
}
