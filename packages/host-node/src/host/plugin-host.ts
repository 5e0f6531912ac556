import { randomUUID } from 'node:crypto';
import {
  type FrontendEventName,
  type HistoryMessage,
  type InstanceInfo,
  type PluginInfo,
  type Snapshot,
  type StreamInfo,
  type UiEvent,
  validateSettings,
  validators,
} from '@plugin-interfaces/spec';
import {
  type DiscoveredPlugin,
  type DiscoveryResult,
  discoverPlugins,
  toPluginInfo,
} from '../discovery/index.js';
import type { PluginDriver } from '../driver/types.js';
import { HostError, toHostError } from '../errors.js';
import { HostContext } from './context.js';
import { settle } from './deadline.js';
import { createDefaultDriver } from './default-driver.js';
import type { HostListener } from './emitter.js';
import { EventBuffer, type EventIteratorOptions, type HostEventIterator } from './event-iterator.js';
import { InstanceHistory } from './history.js';
import { createHooks } from './host-services.js';
import type { HostInstance, LoadedLibrary } from './instance.js';
import { connect, disconnect, mount, render, teardown } from './instance-ops.js';
import { assertAllowed } from './lifecycle.js';
import { type MessageOptions, type MessageResult, sendMessage } from './messages.js';
import {
  consoleLogger,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  MemoryAppConfig,
  type PluginHostOptions,
} from './options.js';
import { applyStreamControl } from './plugin-events.js';
import { SerialQueue } from './serial-queue.js';
import { callFailed } from './status.js';
import { InstanceStreams } from './streams.js';
import { instanceInfo, metadataFor } from './views.js';

/** Options of `host.load`. */
export interface LoadOptions {
  /** Instance id (default: a random UUID). Must not be in use. */
  readonly instanceId?: string;
  /** Setting values, validated against the plugin's `[settings]`; defaults fill the rest. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

interface RestoreState {
  readonly history: readonly HistoryMessage[];
  readonly streams: readonly StreamInfo[];
}

/**
 * The high-level plugin host: discovers plugins, loads them through a driver, drives each
 * instance's lifecycle, routes messages, UI events, streams and inter-plugin calls, keeps
 * history, and reports everything as validated frontend events. Create it with
 * {@link createPluginHost} (or `new PluginHost(options)` then `await host.start()`), and
 * dispose it with `await host.close()` or `await using`.
 */
export class PluginHost implements AsyncDisposable {
  readonly #options: PluginHostOptions;
  readonly #ctx: HostContext;
  readonly #libraries = new Map<string, Promise<LoadedLibrary>>();
  readonly #drivers = new Set<PluginDriver>();
  /** Driver kind of every plugin whose library was loaded, for PluginInfo.isolation. */
  readonly #kinds = new Map<string, PluginDriver['kind']>();
  #defaultDriver: Promise<PluginDriver> | null = null;
  #discovery: DiscoveryResult | null = null;
  #nextRequestId = 1;
  #closed: Promise<void> | null = null;
  readonly #hooks;

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#ctx = new HostContext(
      options.logger ?? consoleLogger,
      options.appConfig ?? new MemoryAppConfig(),
      { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      { ...DEFAULT_LIMITS, ...options.limits },
      options.streamCredit ?? 'consumed',
    );
    this.#hooks = createHooks(
      this.#ctx,
      {
        scheduleRefresh: (instance) => this.#scheduleRefresh(instance),
        requestDisconnect: (instance) => {
          if (instance.state === 'connected')
            this.disconnect(instance.id).catch((e: unknown) =>
              this.#ctx.log('warn', `Disconnect on request failed: ${toHostError(e).message}`, instance),
            );
        },
      },
      (target, text, origin) => sendMessage(this.#ctx, target, text, {}, origin),
      () => this.#nextRequestId++,
    );
  }

  /** Scan the plugin folders. Called by {@link createPluginHost}. */
  async start(): Promise<this> {
    await this.rescan();
    return this;
  }

  /** Every discovered plugin (ready, error or disabled), as of the last scan. */
  plugins(): PluginInfo[] {
    return (this.#discovery?.plugins ?? []).map((p) => this.#pluginInfo(p));
  }

  /** Scan the plugin folders again; loaded instances keep running on the library they loaded. */
  async rescan(): Promise<PluginInfo[]> {
    this.#assertOpen();
    this.#discovery = await discoverPlugins(this.#options.pluginDirs, this.#options.discovery);
    return this.plugins();
  }

  /** Create an instance: create → on_mount → first frame. Resolves with its InstanceInfo. */
  async load(pluginId: string, options: LoadOptions = {}): Promise<InstanceInfo> {
    return this.#load(pluginId, options, undefined);
  }

  /** on_connect; afterwards the instance takes chat messages. */
  async connect(instanceId: string): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    try {
      await instance.queue.run(() => connect(this.#ctx, instance));
    } finally {
      this.#scheduleRefresh(instance);
    }
  }

  /** on_disconnect; the instance counts as disconnected even if the plugin fails it. */
  async disconnect(instanceId: string): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    try {
      await instance.queue.run(() => disconnect(this.#ctx, instance));
    } finally {
      this.#scheduleRefresh(instance);
    }
  }

  /** Send a chat message to a connected instance and wait for its (possibly deferred) reply; the UI is redrawn afterwards. */
  async handleMessage(
    instanceId: string,
    text: string,
    options: MessageOptions = {},
  ): Promise<MessageResult> {
    this.#assertOpen();
    const instance = this.#ctx.get(instanceId);
    const requestId = this.#nextRequestId++;
    const origin = { requestId, chain: [instance.pluginId], fromPlugin: false };
    try {
      const reply = await sendMessage(this.#ctx, instance, text, options, origin);
      return { requestId: String(requestId), reply };
    } finally {
      // Immediate-mode UIs usually show state a message changed: draw a new frame (coalesced).
      this.#scheduleRefresh(instance);
    }
  }

  /** Feed a frontend UI event into the next frame; UI_EVENT_INVALID for a widget not in the current frame. */
  async dispatchUiEvent(instanceId: string, event: UiEvent): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    if (!validators.uiEvent.check(event))
      throw new HostError(
        'UI_EVENT_INVALID',
        `Malformed UI event: ${validators.uiEvent.errors(event).join('; ')}`,
        {
          pluginId: instance.pluginId,
          instanceId,
        },
      );
    await instance.queue.run(async () => {
      assertAllowed(instance.state, 'render', instance);
      checkWidget(instance, event);
      await render(this.#ctx, instance, [event]);
    });
  }

  /** Re-render the instance's UI without events. */
  async refresh(instanceId: string): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    await instance.queue.run(() => render(this.#ctx, instance, []));
  }

  /** Pause, resume or cancel a stream on behalf of the user; the plugin is told. */
  async controlStream(
    instanceId: string,
    streamId: string,
    control: 'pause' | 'resume' | 'cancel',
  ): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    if (!instance.streams.has(streamId))
      throw new HostError('STREAM_STATE', `Instance "${instanceId}" has no stream "${streamId}".`, {
        pluginId: instance.pluginId,
        instanceId,
      });
    await instance.queue.run(async () => {
      assertAllowed(instance.state, 'stream-control', instance);
      const outcome = await instance.driver!.controlStream(streamId, control);
      if (!outcome.ok) {
        const error = callFailed(outcome, {
          pluginId: instance.pluginId,
          instanceId,
          entry: 'on_stream_control',
        });
        throw new HostError('STREAM_STATE', error.message, {
          pluginId: instance.pluginId,
          instanceId,
          detail: error.detail,
        });
      }
      applyStreamControl(this.#ctx, instance, streamId, control, 'user');
    });
  }

  /** Validate settings against the plugin's `[settings]`, then apply_settings. */
  async setSettings(
    instanceId: string,
    values: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const instance = this.#ctx.get(instanceId);
    const checked = checkSettings(instance.lib, values);
    await instance.queue.run(async () => {
      assertAllowed(instance.state, 'settings', instance);
      if ((instance.lib.library.info.entries as ReadonlySet<string>).has('apply_settings')) {
        const outcome = await instance.driver!.sendJson('apply_settings', JSON.stringify(checked), {
          timeoutMs: this.#ctx.timeouts.lifecycle,
        });
        if (!outcome.ok)
          throw callFailed(outcome, { pluginId: instance.pluginId, instanceId, entry: 'apply_settings' });
      }
      instance.settings = checked;
    });
    return { ...checked };
  }

  /** Write an app config value (needs a provider with `set`). */
  setAppConfig(key: string, value: unknown): void {
    const provider = this.#ctx.appConfig;
    if (provider.set === undefined)
      throw new HostError('UNSUPPORTED', 'The app config provider is read-only (it has no set()).');
    provider.set(key, value);
  }

  /** Disconnect (if connected) → on_dispose → destroy; the library closes with its last instance. */
  async unload(instanceId: string): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    await instance.queue.run(async () => {
      if (instance.state === 'destroyed') return;
      await teardown(this.#ctx, instance);
    });
    await this.#forget(instance);
  }

  /**
   * Hot-replace a plugin after a rebuild: unload its instances, close the library, rescan, load
   * the new library and re-create the instances with the same ids, settings and history (and
   * connect those that were connected).
   */
  async reload(pluginId: string): Promise<InstanceInfo[]> {
    this.#assertOpen();
    const olds = [...this.#ctx.instances.values()].filter(
      (i) => i.pluginId === pluginId && i.driver !== null,
    );
    const saved = olds.map((i) => ({
      id: i.id,
      settings: i.settings,
      connected: i.state === 'connected',
      restore: { history: i.history.list(), streams: i.streams.list() },
    }));
    for (const i of olds) await this.unload(i.id);
    await this.#libraries
      .get(pluginId)
      ?.then((lib) => this.#closeLibraryIfUnused(lib))
      .catch(() => undefined);
    await this.rescan();
    const infos: InstanceInfo[] = [];
    for (const s of saved) {
      await this.#load(pluginId, { instanceId: s.id, settings: s.settings }, s.restore);
      if (s.connected) await this.connect(s.id);
      infos.push(this.instance(s.id));
    }
    return infos;
  }

  /** The current state of one instance. */
  instance(instanceId: string): InstanceInfo {
    return instanceInfo(this.#ctx.get(instanceId));
  }

  /** Everything a frontend needs to draw the current state (the spec's Snapshot). */
  snapshot(): Snapshot {
    const app_config: Record<string, unknown> = {};
    for (const [k, v] of this.#ctx.appConfig.entries?.() ?? []) app_config[k] = v;
    const instances = [...this.#ctx.instances.values()].filter((i) => i.driver !== null).map(instanceInfo);
    return { plugins: this.plugins(), instances, app_config };
  }

  /** Listen to one frontend event (or `'*'` for all); returns an unsubscribe function. */
  on<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): () => void {
    return this.#ctx.emitter.on(name, listener);
  }

  off<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): void {
    this.#ctx.emitter.off(name, listener);
  }

  /**
   * Every frontend event from now on, as an async iterator with a bounded buffer (oldest events
   * are dropped on overflow, counted in `dropped`). Stream credit for a chunk is held until every
   * open iterator took it, so a slow consumer slows the streams down instead of losing chunks
   * (unless it falls a whole buffer behind). Ends on `return()`, `signal`, or `close()`.
   */
  events(options: EventIteratorOptions = {}): HostEventIterator {
    this.#assertOpen();
    const it = new EventBuffer(
      options.bufferSize ?? this.#ctx.limits.eventBuffer,
      (self) => this.#ctx.iterators.delete(self),
      options.signal,
    );
    this.#ctx.iterators.add(it);
    return it;
  }

  /**
   * Shut down within `timeouts.close`: unload every instance, then close libraries and drivers.
   * Whatever did not finish by the deadline is abandoned (and logged). Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    const deadline = Date.now() + this.#ctx.timeouts.close;
    const left = () => Math.max(0, deadline - Date.now());
    const ids = [...this.#ctx.instances.values()].filter((i) => i.driver !== null).map((i) => i.id);
    const unloaded = await settle(Promise.allSettled(ids.map((id) => this.unload(id))), left());
    if (!unloaded)
      this.#ctx.logger.log('error', 'close(): some instances did not dispose before the deadline.', {});
    const libs = await settle(
      Promise.allSettled(
        [...this.#libraries.values()].map((p) => p.then((lib) => this.#closeLibraryIfUnused(lib))),
      ),
      left(),
    );
    if (!libs)
      this.#ctx.logger.log('error', 'close(): some libraries did not close before the deadline.', {});
    await settle(Promise.allSettled([...this.#drivers].map((d) => d.close())), Math.max(left(), 100));
    for (const it of [...this.#ctx.iterators]) it.end();
    this.#ctx.emitter.clear();
  }

  #assertOpen(): void {
    if (this.#closed !== null)
      throw new HostError('HOST_CLOSED', 'The plugin host is closed; create a new one.');
  }

  #pluginInfo(p: DiscoveredPlugin): PluginInfo {
    const info = toPluginInfo(p);
    const kind = this.#kinds.get(p.id);
    if (kind !== undefined) info.isolation = kind;
    return info;
  }

  async #load(
    pluginId: string,
    options: LoadOptions,
    restore: RestoreState | undefined,
  ): Promise<InstanceInfo> {
    this.#assertOpen();
    let plugin = this.#discovery?.byId.get(pluginId);
    if (plugin === undefined) {
      await this.rescan();
      plugin = this.#discovery?.byId.get(pluginId);
    }
    if (plugin === undefined)
      throw new HostError(
        'PLUGIN_NOT_FOUND',
        `No plugin "${pluginId}" in ${this.#options.pluginDirs.join(', ')} (found: ${
          this.plugins()
            .map((p) => p.id)
            .join(', ') || 'none'
        }).`,
        { pluginId },
      );
    if (plugin.status !== 'ready')
      throw (
        plugin.error ??
        new HostError('PLUGIN_DISABLED', `Plugin "${pluginId}" is ${plugin.status}.`, { pluginId })
      );
    const instanceId = options.instanceId ?? randomUUID();
    const existing = this.#ctx.instances.get(instanceId);
    if (existing !== undefined)
      throw new HostError(
        'LIFECYCLE_ORDER',
        `Instance id "${instanceId}" is already used by plugin "${existing.pluginId}" (${existing.state}); unload it first or pick another id.`,
        { pluginId, instanceId },
      );
    const config = plugin.config!;
    const settings = checkSettings({ config, plugin }, options.settings ?? {});
    const placeholder = { pluginId } as HostInstance;
    this.#ctx.instances.set(instanceId, placeholder);
    let lib: LoadedLibrary;
    try {
      lib = await this.#library(plugin);
    } catch (e) {
      this.#ctx.instances.delete(instanceId);
      throw toHostError(e, 'LIBRARY_LOAD_FAILED');
    }
    const instance: HostInstance = {
      id: instanceId,
      pluginId,
      lib,
      driver: null,
      state: 'created',
      revision: 0,
      tree: [],
      settings,
      history: new InstanceHistory(pluginId, restore?.history),
      streams: new InstanceStreams(),
      queue: new SerialQueue(),
      pending: new Map(),
      activeChain: null,
      refreshScheduled: false,
      error: undefined,
    };
    if (restore !== undefined) instance.streams.restore(restore.streams);
    this.#ctx.instances.set(instanceId, instance);
    lib.instances.add(instanceId);
    try {
      instance.driver = await lib.library.createInstance(metadataFor(plugin, lib, instanceId, settings), {
        timeoutMs: this.#ctx.timeouts.create,
      });
    } catch (e) {
      this.#ctx.instances.delete(instanceId);
      lib.instances.delete(instanceId);
      await this.#closeLibraryIfUnused(lib);
      const error = toHostError(e, 'CREATE_FAILED');
      this.#ctx.log('error', error.message, instance);
      throw error;
    }
    this.#ctx.setState(instance, 'created');
    try {
      await instance.queue.run(() => mount(this.#ctx, instance));
    } catch (e) {
      await this.#forget(instance);
      throw e;
    }
    return instanceInfo(instance);
  }

  /** The loaded library of a plugin, loading it (once) through its driver. */
  #library(plugin: DiscoveredPlugin): Promise<LoadedLibrary> {
    let lib = this.#libraries.get(plugin.id);
    if (lib === undefined) {
      lib = (async () => {
        const driver = await this.#driverFor(plugin);
        const library = await driver.loadLibrary(plugin.libraryPath!, this.#hooks);
        this.#kinds.set(plugin.id, driver.kind);
        return { plugin, config: plugin.config!, driver, library, instances: new Set<string>() };
      })();
      this.#libraries.set(plugin.id, lib);
      lib.catch(() => this.#libraries.delete(plugin.id));
    }
    return lib;
  }

  async #driverFor(plugin: DiscoveredPlugin): Promise<PluginDriver> {
    let driver: PluginDriver;
    if (this.#options.driverFor !== undefined) driver = this.#options.driverFor(plugin);
    else if (this.#options.driver !== undefined) driver = this.#options.driver;
    else {
      this.#defaultDriver ??= createDefaultDriver();
      driver = await this.#defaultDriver;
    }
    this.#drivers.add(driver);
    return driver;
  }

  async #forget(instance: HostInstance): Promise<void> {
    this.#ctx.instances.delete(instance.id);
    instance.lib.instances.delete(instance.id);
    await this.#closeLibraryIfUnused(instance.lib);
  }

  async #closeLibraryIfUnused(lib: LoadedLibrary): Promise<void> {
    if (lib.instances.size > 0 || this.#libraries.get(lib.plugin.id) === undefined) return;
    this.#libraries.delete(lib.plugin.id);
    try {
      await lib.library.close();
    } catch (e) {
      this.#ctx.logger.log(
        'error',
        `Closing the library of "${lib.plugin.id}" failed: ${toHostError(e).message}`,
        {
          pluginId: lib.plugin.id,
        },
      );
    }
  }

  /** Coalesce refresh requests: one re-render is queued no matter how many requests arrive. */
  #scheduleRefresh(instance: HostInstance): void {
    if (instance.refreshScheduled) return;
    instance.refreshScheduled = true;
    instance.queue
      .run(async () => {
        instance.refreshScheduled = false;
        if (['mounted', 'connected', 'disconnected'].includes(instance.state))
          await render(this.#ctx, instance, []);
      })
      .catch((e: unknown) => this.#ctx.log('warn', `Refresh failed: ${toHostError(e).message}`, instance));
  }
}

/** Validate settings, throwing SETTINGS_INVALID with every problem. */
function checkSettings(
  lib: Pick<LoadedLibrary, 'config' | 'plugin'>,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const result = validateSettings(lib.config.settings ?? {}, values);
  if (result.ok) return result.values;
  throw new HostError(
    'SETTINGS_INVALID',
    `Settings for plugin "${lib.plugin.id}" are invalid: ${result.problems.map((p) => p.message).join('; ')}.`,
    { pluginId: lib.plugin.id, detail: { problems: result.problems } },
  );
}

/** UI_EVENT_INVALID unless the event targets a widget of the current frame that takes that kind. */
function checkWidget(instance: HostInstance, event: UiEvent): void {
  const kinds: Record<string, UiEvent['kind']> = {
    button: 'click',
    text_edit: 'text',
    combo_box: 'select',
    toggle: 'toggle',
  };
  const find = (nodes: InstanceInfo['tree']): InstanceInfo['tree'][number] | undefined => {
    for (const n of nodes) {
      if (n.id === event.widget_id) return n;
      if (n.type === 'horizontal' || n.type === 'vertical') {
        const hit = find(n.children);
        if (hit !== undefined) return hit;
      }
    }
    return undefined;
  };
  const node = find(instance.tree);
  const expected = node === undefined ? undefined : kinds[node.type];
  if (expected !== event.kind)
    throw new HostError(
      'UI_EVENT_INVALID',
      node === undefined
        ? `Instance "${instance.id}" has no widget "${event.widget_id}" in its current frame (revision ${instance.revision}).`
        : `Widget "${event.widget_id}" of instance "${instance.id}" is a ${node.type}; it takes no "${event.kind}" events.`,
      {
        pluginId: instance.pluginId,
        instanceId: instance.id,
        detail: { widget_id: event.widget_id, kind: event.kind },
      },
    );
}

/** Create a host and scan its plugin folders. */
export async function createPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  return new PluginHost(options).start();
}
