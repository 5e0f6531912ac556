import { LIMITS, type LogLevel, type PluginInfo } from '@plugin-interfaces/spec';
import type { DiscoveredPlugin, DiscoveryOptions } from '../discovery/index.js';
import type { IsolatedDriverOptions } from '../driver/isolated/index.js';
import type { PluginDriver } from '../driver/types.js';

/** How a plugin runs: through koffi in this process, or in a child process of its own. */
export type IsolationMode = 'in-process' | 'isolated';

/**
 * Where plugins read application settings from (`get_app_config`). The host only asks for keys
 * a plugin's `[permissions] app_config` lists. `entries` (optional) lets `snapshot()` show the
 * whole config; `set` lets `host.setAppConfig` write through.
 */
export interface AppConfigProvider {
  get(key: string): unknown | undefined;
  set?(key: string, value: unknown): void;
  entries?(): Iterable<readonly [string, unknown]>;
}

/** Structured log sink. `fields` always carries `pluginId` and `instanceId` when known. */
export interface HostLogger {
  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Deadline per plugin entry point, in milliseconds. */
export interface EntryTimeouts {
  readonly create: number;
  readonly updateUi: number;
  readonly handleMessage: number;
  /** on_mount, on_connect, on_disconnect, on_dispose, set_history, apply_settings, stream control. */
  readonly lifecycle: number;
  readonly destroy: number;
  /** Total time `close()` gives all instances to dispose before closing the drivers anyway. */
  readonly close: number;
}

/**
 * Limits the host enforces: on what reaches a plugin, and on what the host itself keeps. The
 * defaults, units and policies are declared once in the spec's `LIMIT_DEFS` (see the README's
 * "Threat model and limits").
 */
export interface HostLimits {
  /** Largest chat message (UTF-8 bytes) `handleMessage` and inter-plugin calls accept. */
  readonly maxMessageBytes: number;
  /** Longest chain of inter-plugin calls (A→B is 2). */
  readonly maxCallDepth: number;
  /** Default buffer size of an `events()` iterator. */
  readonly eventBuffer: number;
  /** History entries kept per instance (the oldest are dropped). */
  readonly maxHistoryEntries: number;
  /** UTF-8 bytes of history text kept per instance (the oldest entries are dropped). */
  readonly maxHistoryBytes: number;
  /** UTF-8 bytes kept of one stream (its tail; `droppedBytes` says how much went). */
  readonly maxStreamBytes: number;
  /** UTF-8 bytes kept for all instances of one plugin together. */
  readonly maxPluginBytes: number;
  /** Largest history JSON given to `set_history` (the newest entries that fit). */
  readonly maxSetHistoryBytes: number;
  /** Largest serialized `snapshot()` / `instance()` / `history()` answer. */
  readonly maxSnapshotBytes: number;
}

/** Options of {@link createPluginHost}. */
export interface PluginHostOptions {
  /** Folders whose immediate subfolders are plugin folders (each with a config.toml). */
  readonly pluginDirs: readonly string[];
  /**
   * Where plugins run (default `'in-process'`): `'isolated'` gives every plugin library a child
   * process of its own, so a segfault, abort, hang or memory blow-up costs only that plugin (it
   * is reported, restarted and, after repeated crashes, disabled). A function decides per plugin.
   * The host creates one shared driver per mode on first use and closes it in `close()`.
   * Ignored when `driver` or `driverFor` is given.
   */
  readonly isolation?: IsolationMode | ((plugin: PluginInfo) => IsolationMode);
  /** Options of the isolated driver the host creates for `isolation` (deadlines, back-off, limits). */
  readonly isolatedDriver?: IsolatedDriverOptions;
  /** One custom driver for every plugin (wins over `isolation`). */
  readonly driver?: PluginDriver;
  /** A custom driver per plugin (wins over `driver` and `isolation`). */
  readonly driverFor?: (plugin: DiscoveredPlugin) => PluginDriver;
  readonly appConfig?: AppConfigProvider;
  readonly logger?: HostLogger;
  readonly timeouts?: Partial<EntryTimeouts>;
  readonly limits?: Partial<HostLimits>;
  /**
   * When stream credit goes back to the producer: `consumed` (default) once every `on` listener
   * ran and every open `events()` iterator took the chunk; `emitted` right after the listeners ran.
   */
  readonly streamCredit?: 'consumed' | 'emitted';
  readonly discovery?: DiscoveryOptions;
}

export const DEFAULT_TIMEOUTS: EntryTimeouts = {
  create: 5_000,
  updateUi: 2_000,
  handleMessage: 30_000,
  lifecycle: 5_000,
  destroy: 5_000,
  close: 10_000,
};

/** The defaults of {@link HostLimits}, read from the spec's `LIMITS`. */
export const DEFAULT_LIMITS: HostLimits = {
  maxMessageBytes: LIMITS.maxMessageBytes,
  maxCallDepth: LIMITS.maxCallDepth,
  eventBuffer: LIMITS.eventBuffer,
  maxHistoryEntries: LIMITS.maxHistoryEntries,
  maxHistoryBytes: LIMITS.maxHistoryBytes,
  maxStreamBytes: LIMITS.maxStreamBytes,
  maxPluginBytes: LIMITS.maxPluginBytes,
  maxSetHistoryBytes: LIMITS.maxSetHistoryBytes,
  maxSnapshotBytes: LIMITS.maxSnapshotBytes,
};

/** The default logger: one console line per entry, with plugin id and level. */
export const consoleLogger: HostLogger = {
  log(level, message, fields) {
    const who = typeof fields.pluginId === 'string' ? `[${fields.pluginId}] ` : '';
    const line = `${who}${level}: ${message}`;
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else if (level === 'info') console.info(line);
    else console.debug(line);
  },
};

/** An in-memory app config, the default provider. */
export class MemoryAppConfig implements AppConfigProvider {
  readonly #values = new Map<string, unknown>();
  constructor(initial: Readonly<Record<string, unknown>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.#values.set(k, v);
  }
  get(key: string): unknown | undefined {
    return this.#values.get(key);
  }
  set(key: string, value: unknown): void {
    this.#values.set(key, value);
  }
  entries(): Iterable<readonly [string, unknown]> {
    return this.#values.entries();
  }
}
