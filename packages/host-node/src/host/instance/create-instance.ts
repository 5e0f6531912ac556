import { randomUUID } from 'node:crypto';
import type { HistoryMessage, InstanceInfo, StreamInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../../discovery/index.js';
import type { DriverInstance, InstanceMetadata } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import type { LibraryRegistry, LoadedLibrary } from '../plugins/libraries.js';
import { InstanceHistory } from './history.js';
import { HostInstance } from './host-instance.js';
import { checkSettings } from './input-checks.js';
import { LoadingInstance } from './loading-instance.js';
import { InstanceStreams } from './streams.js';

/** Options of `host.load`. */
export interface LoadOptions {
  /** Instance id (default: a random UUID). Must not be in use. */
  readonly instanceId?: string;
  /** Setting values, validated against the plugin's `[settings]`; defaults fill the rest. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** What `reload` carries over into the re-created instance. */
export interface RestoreState {
  readonly history: readonly HistoryMessage[];
  readonly streams: readonly StreamInfo[];
  /** The library generation to create on (the reload's new one, or the previous one it fell back to). */
  readonly library?: LoadedLibrary;
}

/** Remove an instance from the host and close its library when it was the last one. its library when it was the last one. */
export async function forgetInstance(
  ctx: HostContext,
  libraries: LibraryRegistry,
  instance: HostInstance,
): Promise<void> {
  ctx.instances.delete(instance.id);
  instance.lib.instances.delete(instance.id);
  instance.history.release();
  await libraries.closeIfUnused(instance.lib);
}

/**
 * Create an instance of a ready plugin: reserve its id (shown as `loading`), load the library
 * (once per plugin), create the driver instance, and only then add the {@link HostInstance} to
 * the host; then on_mount and the first frame. Any failure removes it again and rethrows.
 */
export async function createInstance(
  ctx: HostContext,
  libraries: LibraryRegistry,
  plugin: DiscoveredPlugin,
  options: LoadOptions,
  restore: RestoreState | undefined,
): Promise<InstanceInfo> {
  const pluginId = plugin.id;
  const disabled = restore?.library === undefined ? libraries.disabled(pluginId) : undefined;
  if (disabled !== undefined) throw disabled;
  const instanceId = options.instanceId ?? randomUUID();
  const existing = ctx.instances.get(instanceId) ?? ctx.loading.get(instanceId);
  if (existing !== undefined)
    throw new HostError(
      'LIFECYCLE_ORDER',
      `Instance id "${instanceId}" is already used by plugin "${existing.pluginId}" (${existing instanceof HostInstance ? existing.state : 'loading'}); unload it first or pick another id.`,
      { pluginId, instanceId },
    );
  const config = plugin.config!;
  const settings = checkSettings({ config, plugin }, options.settings ?? {});
  const loading = new LoadingInstance(instanceId, pluginId, settings);
  ctx.loading.set(instanceId, loading);
  let instance: HostInstance;
  try {
    instance = await createDriverInstance(ctx, libraries, plugin, loading, restore);
  } finally {
    ctx.loading.delete(instanceId);
  }
  ctx.instances.set(instanceId, instance);
  // Events the plugin sent while the driver created it, before anything else it sends.
  for (const events of loading.early) instance.applyEvents(events);
  instance.setState('created');
  try {
    await instance.mount();
  } catch (e) {
    await forgetInstance(ctx, libraries, instance);
    throw e;
  }
  return instance.info(ctx.limits.maxSnapshotBytes);
}

/** Load the library (once) and create the driver instance; on failure nothing of it is kept. */
async function createDriverInstance(
  ctx: HostContext,
  libraries: LibraryRegistry,
  plugin: DiscoveredPlugin,
  loading: LoadingInstance,
  restore: RestoreState | undefined,
): Promise<HostInstance> {
  const { id, pluginId, settings } = loading;
  let lib: LoadedLibrary;
  try {
    lib = restore?.library ?? (await libraries.library(plugin));
  } catch (e) {
    throw toHostError(e, 'LIBRARY_LOAD_FAILED');
  }
  loading.lib = lib;
  const meta = metadataFor(plugin, lib, id, settings);
  const limits = ctx.limits;
  const streams = new InstanceStreams(limits.maxStreamBytes);
  const history = new InstanceHistory(
    pluginId,
    { maxEntries: limits.maxHistoryEntries, maxBytes: limits.maxHistoryBytes },
    ctx.budgets.of(pluginId),
    streams,
  );
  if (restore !== undefined) history.restore(restore.history, restore.streams);
  lib.instances.add(id);
  let driver: DriverInstance;
  try {
    driver = await lib.library.createInstance(meta, { timeoutMs: ctx.timeouts.create });
  } catch (e) {
    lib.instances.delete(id);
    history.release();
    await libraries.closeIfUnused(lib);
    const error = toHostError(e, 'CREATE_FAILED');
    ctx.log('error', error.message, loading);
    throw error;
  }
  return new HostInstance(ctx, {
    id,
    lib,
    driver,
    settings,
    createdSettingsJson: meta.settingsJson,
    history,
    streams,
  });
}

/** The metadata the plugin receives at create (secrets included: it is their own plugin). */
function metadataFor(
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
