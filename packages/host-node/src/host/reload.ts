import type { InstanceInfo } from '@plugin-interfaces/spec';
import type { HostContext } from './context.js';
import type { LoadOptions, RestoreState } from './create-instance.js';
import type { HostInstance } from './instance.js';
import type { LibraryRegistry } from './libraries.js';

/** The host operations a reload is made of. */
export interface ReloadSteps {
  unload(instanceId: string): Promise<void>;
  rescan(): Promise<unknown>;
  load(pluginId: string, options: LoadOptions, restore: RestoreState): Promise<unknown>;
  connect(instanceId: string): Promise<void>;
  instance(instanceId: string): InstanceInfo;
}

/** True when the instance was connected (before a crash, for crashed/disabled instances). */
function wasConnected(instance: HostInstance): boolean {
  if (instance.state === 'crashed' || instance.state === 'disabled') return instance.resumeTo === 'connected';
  return instance.state === 'connected';
}

/**
 * Hot-replace a plugin: unload its instances, close the library (forgetting a crash-disable),
 * rescan, load the library afresh and re-create the instances with the same ids, settings and
 * history, connecting those that were connected.
 */
export async function reloadPlugin(
  ctx: HostContext,
  libraries: LibraryRegistry,
  steps: ReloadSteps,
  pluginId: string,
): Promise<InstanceInfo[]> {
  const olds = [...ctx.instances.values()].filter((i) => i.pluginId === pluginId && i.driver !== null);
  const saved = olds.map((i) => ({
    id: i.id,
    settings: i.settings,
    connected: wasConnected(i),
    restore: { history: i.history.list(), streams: i.streams.list() },
  }));
  for (const i of olds) await steps.unload(i.id);
  await libraries.reset(pluginId);
  await steps.rescan();
  const infos: InstanceInfo[] = [];
  for (const s of saved) {
    await steps.load(pluginId, { instanceId: s.id, settings: s.settings }, s.restore);
    if (s.connected) await steps.connect(s.id);
    infos.push(steps.instance(s.id));
  }
  return infos;
}
