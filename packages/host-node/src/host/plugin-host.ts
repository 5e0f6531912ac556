import type {
  FrontendEventName,
  HistoryPage,
  InstanceInfo,
  PluginInfo,
  Snapshot,
  UiEvent,
} from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { HostContext } from './context.js';
import type { HostListener } from './events/emitter.js';
import { EventBuffer, type EventIteratorOptions, type HostEventIterator } from './events/event-iterator.js';
import {
  createInstance,
  forgetInstance,
  type LoadOptions,
  type RestoreState,
} from './instance/create-instance.js';
import type { HostInstance } from './instance/host-instance.js';
import { loadingInfo } from './instance/instance-info.js';
import type { MessageOptions, MessageResult } from './instance/messages.js';
import { resolveLimits } from './limit-options.js';
import { consoleLogger, DEFAULT_TIMEOUTS, MemoryAppConfig, type PluginHostOptions } from './options.js';
import { PluginCatalog } from './plugins/catalog.js';
import { HostDrivers } from './plugins/drivers.js';
import { handleFault } from './plugins/faults.js';
import { LibraryRegistry } from './plugins/libraries.js';
import { reloadPlugin } from './plugins/reload.js';
import { createHooks } from './services/host-services.js';
import { shutdown } from './shutdown.js';
import { buildSnapshot } from './snapshot.js';

export type { LoadOptions } from './instance/create-instance.js';

/**
 * The high-level plugin host: discovers plugins, loads them through a driver (in-process or
 * isolated, see `isolation`), drives each instance's lifecycle, routes messages, UI events,
 * streams and inter-plugin calls, keeps history, handles crashes of isolated plugins, and reports
 * everything as validated frontend events. Create it with {@link createPluginHost} (or
 * `new PluginHost(options)` then `await host.start()`), and dispose it with `await host.close()`
 * or `await using`.
 */
export class PluginHost implements AsyncDisposable {
  readonly #ctx: HostContext;
  readonly #drivers: HostDrivers;
  readonly #libraries: LibraryRegistry;
  readonly #catalog: PluginCatalog;
  #nextRequestId = 1;
  #closed: Promise<void> | null = null;

  constructor(options: PluginHostOptions) {
    const ctx = new HostContext(
      options.logger ?? consoleLogger,
      options.appConfig ?? new MemoryAppConfig(),
      { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      resolveLimits(options.limits),
      options.streamCredit ?? 'consumed',
    );
    this.#ctx = ctx;
    const hooks = createHooks(ctx, () => this.#nextRequestId++);
    this.#drivers = new HostDrivers(options);
    this.#libraries = new LibraryRegistry(ctx, this.#drivers, hooks, (lib, fault) =>
      handleFault(ctx, lib, fault),
    );
    this.#catalog = new PluginCatalog(options.pluginDirs, options.discovery, this.#libraries);
  }

  /** Scan the plugin folders. Called by {@link createPluginHost}. */
  async start(): Promise<this> {
    await this.rescan();
    return this;
  }

  /** Every discovered plugin (ready, error or disabled), as of the last scan, with its isolation mode. */
  plugins(): PluginInfo[] {
    return this.#catalog.plugins();
  }

  /** Scan the plugin folders again; loaded instances keep running on the library they loaded. */
  async rescan(): Promise<PluginInfo[]> {
    this.#assertOpen();
    await this.#catalog.rescan();
    return this.plugins();
  }

  /** Create an instance: create → on_mount → first frame. Resolves with its InstanceInfo. */
  async load(pluginId: string, options: LoadOptions = {}): Promise<InstanceInfo> {
    return this.#load(pluginId, options, undefined);
  }

  /** on_connect; afterwards the instance takes chat messages. */
  async connect(instanceId: string): Promise<void> {
    await this.#ctx.get(instanceId).connect();
  }

  /** on_disconnect; the instance counts as disconnected even if the plugin fails it. */
  async disconnect(instanceId: string): Promise<void> {
    await this.#ctx.get(instanceId).disconnect();
  }

  /**
   * Send a chat message to a connected instance; resolves with its (possibly deferred) reply. A
   * frame follows, also after a failure, once the current burst of calls is over (messages sent
   * back to back draw one frame), announced by `plugin-ui-updated`.
   */
  handleMessage(instanceId: string, text: string, options: MessageOptions = {}): Promise<MessageResult> {
    let instance: HostInstance | undefined;
    try {
      this.#assertOpen();
      instance = this.#ctx.get(instanceId);
      const requestId = this.#nextRequestId++;
      const origin = { requestId, chain: instance.userChain, fromPlugin: false };
      const answer = instance.sendSoon(text, options, origin);
      // Not awaited when the reply is there at once: no promise hop but the one returned.
      if (!(answer instanceof Promise)) {
        instance.deferRefresh();
        return Promise.resolve({ requestId: String(requestId), reply: answer });
      }
      const sent = instance;
      return answer.then(
        (reply) => {
          sent.deferRefresh();
          return { requestId: String(requestId), reply };
        },
        (e: unknown) => {
          sent.deferRefresh();
          throw e;
        },
      );
    } catch (e) {
      // Immediate-mode UIs usually show state a message changed: a frame follows, also after a
      // failure, once the current burst of calls is over (a run of messages draws one frame).
      instance?.deferRefresh();
      return Promise.reject(e);
    }
  }

  /** Feed a frontend UI event into the next frame; UI_EVENT_INVALID for a widget not in the current frame. */
  async dispatchUiEvent(instanceId: string, event: UiEvent): Promise<void> {
    await this.#ctx.get(instanceId).dispatchUiEvent(event);
  }

  /** Re-render the instance's UI without events. */
  async refresh(instanceId: string): Promise<void> {
    await this.#ctx.get(instanceId).refresh();
  }

  /** Pause, resume or cancel a stream on behalf of the user; the plugin is told. */
  async controlStream(
    instanceId: string,
    streamId: string,
    control: 'pause' | 'resume' | 'cancel',
  ): Promise<void> {
    await this.#ctx.get(instanceId).controlStream(streamId, control);
  }

  /** Validate settings against the plugin's `[settings]`, then apply_settings. */
  async setSettings(
    instanceId: string,
    values: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    return this.#ctx.get(instanceId).setSettings(values);
  }

  /**
   * Empty an instance's history (in every state, both isolation modes) and tell every listener
   * with `plugin-history-cleared`. Entries of streams still open stay, so their chunks land in
   * place; ended streams go with their entries. Snapshots and `history()` show only what follows
   * (a page reload stays empty); a `require_history` plugin gets the shorter history with its next
   * message. Not queued behind a running message: its reply is appended after the clear.
   */
  clearHistory(instanceId: string): void {
    this.#assertOpen();
    const instance = this.#ctx.get(instanceId);
    instance.history.clear();
    this.#ctx.emit({ event: 'plugin-history-cleared', payload: instance.who() });
  }

  /** Write an app config value (needs a provider with `set`). */
  setAppConfig(key: string, value: unknown): void {
    const provider = this.#ctx.appConfig;
    if (provider.set === undefined)
      throw new HostError('UNSUPPORTED', 'The app config provider is read-only (it has no set()).');
    provider.set(key, value);
  }

  /**
   * Disconnect (if connected) → on_dispose → destroy; the library closes with its last instance.
   * Works in every state, `crashed` and `disabled` included.
   */
  async unload(instanceId: string): Promise<void> {
    const instance = this.#ctx.get(instanceId);
    await instance.unload();
    await forgetInstance(this.#ctx, this.#libraries, instance);
  }

  /**
   * Hot-replace a plugin after a rebuild, loading first: rescan, open the new library next to the
   * running one, then move each instance onto it with the same id, settings and history (and
   * connect those that were connected). If the new library does not load, or an instance fails
   * create or on_mount on it, that instance and those not moved yet keep running on the previous
   * library and the promise rejects with the plugin's error. Also re-enables a plugin disabled
   * after crashes.
   */
  async reload(pluginId: string): Promise<InstanceInfo[]> {
    this.#assertOpen();
    return reloadPlugin(
      this.#ctx,
      this.#libraries,
      {
        rescan: () => this.rescan(),
        ready: (id) => this.#catalog.ready(id),
        connect: (id) => this.connect(id),
      },
      pluginId,
    );
  }

  /**
   * The current state of one instance, at most `limits.maxSnapshotBytes` of JSON (older history
   * is paged with {@link PluginHost.history}; `truncated` says what was left out). An instance
   * still loading shows as `loading`; secret settings show as `{ secret: 'set' | 'unset' }`.
   */
  instance(instanceId: string): InstanceInfo {
    const ctx = this.#ctx;
    const loading = ctx.loading.get(instanceId);
    if (loading !== undefined) return loadingInfo(loading);
    return ctx.get(instanceId).info(ctx.limits.maxSnapshotBytes);
  }

  /**
   * One page of an instance's history, oldest first: the newest `limit` entries (default all)
   * older than the entry `before` (default: the newest), within `limits.maxSnapshotBytes`.
   * `more` counts older entries still kept; `dropped` those the host no longer keeps.
   */
  history(
    instanceId: string,
    query: { before?: string | undefined; limit?: number | undefined } = {},
  ): HistoryPage {
    const instance = this.#ctx.get(instanceId);
    if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit > 0))
      throw new HostError(
        'INVALID_JSON',
        `history(): limit must be a positive integer, got ${query.limit}.`,
        {
          instanceId,
        },
      );
    return instance.history.page({ ...query, maxBytes: this.#ctx.limits.maxSnapshotBytes });
  }

  /**
   * Everything a frontend needs to draw the current state (the spec's Snapshot), at most
   * `limits.maxSnapshotBytes` of JSON so it always fits a bridge frame: each instance's history
   * is cut to its newest entries, trees or whole instances are left out past that, each with a
   * `truncated` marker. Loading instances show as `loading`; secrets as markers. Never throws.
   */
  snapshot(): Snapshot {
    const ctx = this.#ctx;
    // Own properties for every key, `__proto__` included (an assignment would set the prototype).
    const app_config: Record<string, unknown> = Object.fromEntries(ctx.appConfig.entries?.() ?? []);
    const records = [...ctx.loading.values(), ...ctx.instances.values()];
    return buildSnapshot(this.plugins(), app_config, records, ctx.limits.maxSnapshotBytes);
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
      () => this.#ctx.grantOwed(),
    );
    this.#ctx.iterators.add(it);
    return it;
  }

  /**
   * Shut down within `timeouts.close`: unload every instance, then close libraries and drivers.
   * Whatever did not finish by the deadline is abandoned (and logged). Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= shutdown(this.#ctx, this.#libraries, this.#drivers, (id) => this.unload(id));
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closed !== null)
      throw new HostError('HOST_CLOSED', 'The plugin host is closed; create a new one.');
  }

  async #load(
    pluginId: string,
    options: LoadOptions,
    restore: RestoreState | undefined,
  ): Promise<InstanceInfo> {
    this.#assertOpen();
    const plugin = await this.#catalog.ready(pluginId);
    return createInstance(this.#ctx, this.#libraries, plugin, options, restore);
  }
}

/** Create a host and scan its plugin folders. */
export async function createPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  return new PluginHost(options).start();
}
