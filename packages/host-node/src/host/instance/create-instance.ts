import { randomUUID } from 'node:crypto';
import type { HistoryMessage, InstanceInfo, StreamInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin } from '../../discovery/index.js';
import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import type { LibraryRegistry } from '../plugins/libraries.js';
import { InstanceHistory } from './history.js';
import type { HostInstance, LoadedLibrary } from './host-instance.js';
import { checkSettings } from './input-checks.js';
import { instanceInfo, metadataFor } from './instance-info.js';
import { mount } from './instance-ops.js';
import { SerialQueue } from './serial-queue.js';
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
}

/** Drop an instance record and close its library when it was the last one. */
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
 * Create an instance of a ready plugin: load its library (once), create the driver instance,
 * then on_mount and the first frame. Any failure removes the record again and rethrows.
 */
export async function createInstance(
  ctx: HostContext,
  libraries: LibraryRegistry,
  plugin: DiscoveredPlugin,
  options: LoadOptions,
  restore: RestoreState | undefined,
): Promise<InstanceInfo> {
  const pluginId = plugin.id;
  const disabled = libraries.disabled(pluginId);
  if (disabled !== undefined) throw disabled;
  const instanceId = options.instanceId ?? randomUUID();
  const existing = ctx.instances.get(instanceId) ?? ctx.loading.get(instanceId);
  if (existing !== undefined)
    throw new HostError(
      'LIFECYCLE_ORDER',
      `Instance id "${instanceId}" is already used by plugin "${existing.pluginId}" (${'state' in existing ? existing.state : 'loading'}); unload it first or pick another id.`,
      { pluginId, instanceId },
    );
  const config = plugin.config!;
  const settings = checkSettings({ config, plugin }, options.settings ?? {});
  ctx.loading.set(instanceId, { id: instanceId, pluginId });
  let lib: LoadedLibrary;
  try {
    lib = await libraries.library(plugin);
  } catch (e) {
    throw toHostError(e, 'LIBRARY_LOAD_FAILED');
  } finally {
    ctx.loading.delete(instanceId);
  }
  const meta = metadataFor(plugin, lib, instanceId, settings);
  const limits = ctx.limits;
  const streams = new InstanceStreams(limits.maxStreamBytes);
  const history = new InstanceHistory(
    pluginId,
    { maxEntries: limits.maxHistoryEntries, maxBytes: limits.maxHistoryBytes },
    ctx.budgets.of(pluginId),
    streams,
  );
  if (restore !== undefined) history.restore(restore.history, restore.streams);
  const instance: HostInstance = {
    id: instanceId,
    pluginId,
    lib,
    driver: null,
    state: 'created',
    revision: 0,
    tree: [],
    settings,
    history,
    streams,
    queue: new SerialQueue(),
    pending: new Map(),
    activeChain: null,
    refreshScheduled: false,
    error: undefined,
    errorFromFrame: false,
    createdSettingsJson: meta.settingsJson,
    resumeTo: null,
    faultEpoch: 0,
  };
  ctx.instances.set(instanceId, instance);
  lib.instances.add(instanceId);
  try {
    instance.driver = await lib.library.createInstance(meta, { timeoutMs: ctx.timeouts.create });
  } catch (e) {
    await forgetInstance(ctx, libraries, instance);
    const error = toHostError(e, 'CREATE_FAILED');
    ctx.log('error', error.message, instance);
    throw error;
  }
  ctx.setState(instance, 'created');
  try {
    await instance.queue.run(() => mount(ctx, instance));
  } catch (e) {
    await forgetInstance(ctx, libraries, instance);
    throw e;
  }
  return instanceInfo(instance, ctx.limits.maxSnapshotBytes);
}
