import type { InstanceInfo } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { forgetInstance, type LoadOptions, type RestoreState } from '../instance/create-instance.js';
import type { HostInstance } from '../instance/host-instance.js';
import type { LibraryRegistry } from './libraries.js';

/** The host operations a reload is made of. */
export interface ReloadSteps {
  rescan(): Promise<readonly { readonly id: string }[]>;
  load(pluginId: string, options: LoadOptions, restore: RestoreState): Promise<unknown>;
  connect(instanceId: string): Promise<void>;
}

/** True when the instance was connected (before a crash, for crashed/disabled instances). */
function wasConnected(instance: HostInstance): boolean {
  if (instance.state === 'crashed' || instance.state === 'disabled') return instance.resumeTo === 'connected';
  return instance.state === 'connected';
}

/**
 * Hot-replace a plugin: unload its instances, close the library (forgetting a crash-disable),
 * rescan, load the library afresh and re-create the instances with the same ids, settings and
 * history, connecting those that were connected. The views returned share
 * `limits.maxSnapshotBytes` between them.
 */
export async function reloadPlugin(
  ctx: HostContext,
  libraries: LibraryRegistry,
  steps: ReloadSteps,
  pluginId: string,
): Promise<InstanceInfo[]> {
  const olds = [...ctx.instances.values()].filter((i) => i.pluginId === pluginId);
  // The reload owns these instances from here on: an unload that arrives later finds no such
  // instance instead of succeeding while the reload brings the instance back.
  for (const i of olds) ctx.instances.delete(i.id);
  const saved = [];
  for (const i of olds) {
    const entry = {
      id: i.id,
      settings: i.settings,
      connected: wasConnected(i),
      restore: { history: i.history.list(), streams: i.streams.list() },
    };
    // An unload queued before this reload runs first: that instance stays gone.
    const live = await i.unload();
    await forgetInstance(ctx, libraries, i);
    if (live) saved.push(entry);
  }
  await libraries.reset(pluginId);
  const plugins = await steps.rescan();
  if (!plugins.some((p) => p.id === pluginId))
    throw new HostError('PLUGIN_NOT_FOUND', `No plugin "${pluginId}" to reload.`, { pluginId });
  for (const s of saved) {
    await steps.load(pluginId, { instanceId: s.id, settings: s.settings }, s.restore);
    if (s.connected) await steps.connect(s.id);
  }
  // One answer for all of them: together they stay within the snapshot size (a bridge frame).
  const share = Math.floor(ctx.limits.maxSnapshotBytes / Math.max(1, saved.length));
  return saved.map((s) => ctx.get(s.id).info(share));
}
