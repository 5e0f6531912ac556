import type { HistoryMessage, InstanceInfo, StreamInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../../discovery/index.js';
import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { createInstance } from '../instance/create-instance.js';
import type { HostInstance } from '../instance/host-instance.js';
import type { LibraryRegistry, LoadedLibrary } from './libraries.js';

/** The host operations a reload is made of. */
export interface ReloadSteps {
  rescan(): Promise<readonly { readonly id: string }[]>;
  /** The plugin as the scan found it: ready, or its config error. */
  ready(pluginId: string): Promise<DiscoveredPlugin>;
  connect(instanceId: string): Promise<void>;
}

/** What an instance takes from one library generation to the next. */
interface Moving {
  readonly id: string;
  readonly settings: Record<string, unknown>;
  readonly connected: boolean;
  readonly history: readonly HistoryMessage[];
  readonly streams: readonly StreamInfo[];
}

/** True when the instance was connected (before a crash, for crashed/disabled instances). */
function wasConnected(instance: HostInstance): boolean {
  if (instance.state === 'crashed' || instance.state === 'disabled') return instance.resumeTo === 'connected';
  return instance.state === 'connected';
}

/**
 * Hot-replace a plugin, loading first: rescan, open the new library next to the running one,
 * then move the instances one at a time (dispose on the old library, create + on_mount on the new
 * one with the same id, settings and history, connect those that were connected). When the new
 * library does not load, nothing is touched; when an instance fails create or on_mount on it, that
 * instance and those moved before it go back on the previous library, the instances not moved yet
 * stay there, the new library closes, and the reload rejects with the plugin's error: one build
 * runs either way. A library with no instances left closes. The views returned share
 * `limits.maxSnapshotBytes`.
 */
export async function reloadPlugin(
  ctx: HostContext,
  libraries: LibraryRegistry,
  steps: ReloadSteps,
  pluginId: string,
): Promise<InstanceInfo[]> {
  const olds = [...ctx.instances.values()].filter((i) => i.pluginId === pluginId);
  const plugins = await steps.rescan();
  if (!plugins.some((p) => p.id === pluginId))
    throw new HostError('PLUGIN_NOT_FOUND', `No plugin "${pluginId}" to reload.`, { pluginId });
  if (olds.length === 0) {
    await libraries.reset(pluginId);
    return [];
  }
  const plugin = await steps.ready(pluginId);
  let next: LoadedLibrary;
  try {
    next = await libraries.fresh(plugin);
  } catch (e) {
    throw toHostError(e, 'LIBRARY_LOAD_FAILED');
  }
  const previous = new Map([...new Set(olds.map((i) => i.lib))].map((lib) => [lib, libraries.hold(lib)]));
  // The new library stays open until the reload is over, even if an instance moved to it is
  // unloaded meanwhile (it would be that library's last instance).
  const releaseNext = libraries.hold(next);
  const current = libraries.current(pluginId);
  /** Instances on the new build, and the library each came from. */
  const moved: { readonly id: string; readonly from: LoadedLibrary }[] = [];
  try {
    for (const i of olds) {
      if (ctx.instances.get(i.id) !== i) continue; // unloaded meanwhile
      const m = await takeDown(ctx, i);
      if (m === null) continue;
      try {
        await place(ctx, libraries, steps, next, m);
      } catch (e) {
        await goBack(ctx, libraries, steps, m, i.lib);
        // One build runs after a failed reload: the instances moved before go back too, and the
        // previous library is the plugin's current one again.
        if (moved.length > 0 && current !== undefined) libraries.adopt(current);
        for (const { id, from } of moved.splice(0)) {
          // Only the instance this reload placed: one unloaded meanwhile (its id maybe reused by
          // another load) is left alone.
          const onNext = ctx.instances.get(id);
          const back = onNext === undefined || onNext.lib !== next ? null : await takeDown(ctx, onNext);
          if (back !== null) await goBack(ctx, libraries, steps, back, from);
        }
        throw e;
      }
      if (moved.length === 0) libraries.adopt(next);
      moved.push({ id: m.id, from: i.lib });
    }
  } finally {
    releaseNext();
    for (const release of previous.values()) release();
    for (const lib of [...previous.keys(), next]) await libraries.closeIfUnused(lib);
  }
  if (moved.length === 0) await libraries.reset(pluginId);
  // One answer for all of them: together they stay within the snapshot size (a bridge frame).
  // Those still there (one may have been unloaded while the others moved).
  const placed = moved.flatMap(({ id }) => {
    const i = ctx.instances.get(id);
    return i !== undefined && i.lib === next ? [i] : [];
  });
  const share = Math.floor(ctx.limits.maxSnapshotBytes / Math.max(1, placed.length));
  return placed.map((i) => i.info(share));
}

/** Put an instance back on the build it came from; a failure is logged (the instance is gone). */
async function goBack(
  ctx: HostContext,
  libraries: LibraryRegistry,
  steps: ReloadSteps,
  m: Moving,
  lib: LoadedLibrary,
): Promise<void> {
  await place(ctx, libraries, steps, lib, m).catch((again: unknown) => {
    const why = toHostError(again).message;
    ctx.log('error', `Instance "${m.id}" could not go back on the previous build: ${why}`, {
      id: m.id,
      pluginId: lib.plugin.id,
      lib,
      settings: m.settings,
    });
  });
}

/**
 * Take an instance off its library (the reload owns it from here: an unload that arrives later
 * finds no such instance). Null when an unload queued before took it down already.
 */
async function takeDown(ctx: HostContext, i: HostInstance): Promise<Moving | null> {
  ctx.instances.delete(i.id);
  const m: Moving = {
    id: i.id,
    settings: i.settings,
    connected: wasConnected(i),
    history: i.history.list(),
    streams: i.streams.list(),
  };
  // An unload queued before this reload runs first: that instance stays gone.
  if (!(await i.unload())) return null;
  i.lib.instances.delete(i.id);
  i.history.release();
  return m;
}

/**
 * Create + mount the instance on `lib` with what it carried over (a failure removes it again),
 * then connect it when it was connected (a failed on_connect leaves it mounted, reported as usual).
 */
async function place(
  ctx: HostContext,
  libraries: LibraryRegistry,
  steps: ReloadSteps,
  lib: LoadedLibrary,
  m: Moving,
): Promise<void> {
  await createInstance(
    ctx,
    libraries,
    lib.plugin,
    { instanceId: m.id, settings: m.settings },
    { history: m.history, streams: m.streams, library: lib },
  );
  if (m.connected)
    await steps.connect(m.id).catch((e: unknown) => {
      const why = toHostError(e).message;
      ctx.log('warn', `Instance "${m.id}" was reloaded but did not connect again: ${why}`);
    });
}
