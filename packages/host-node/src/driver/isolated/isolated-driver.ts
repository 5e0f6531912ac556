import { LIMITS } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type {
  CallOptions,
  DriverHooks,
  DriverInstance,
  DriverLibrary,
  InstanceMetadata,
  LibraryInfo,
  LibraryLoadOptions,
  PluginDriver,
} from '../types.js';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import { type CallTimeouts, ISOLATION_TIMEOUTS } from './call-timeouts.js';
import { CrashLedger } from './crash-ledger.js';
import { type CrashPolicy, DEFAULT_CRASH_POLICY } from './crash-window.js';
import { IsolatedInstance } from './isolated-instance.js';
import { ISOLATION_LIMITS, type IsolationLimits } from './limits.js';
import { ProcessPool } from './process-pool.js';
import { Supervisor, type SupervisorConfig } from './supervisor.js';

/** Options of {@link IsolatedDriver}; every field has a default. */
export interface IsolatedDriverOptions {
  readonly limits?: Partial<IsolationLimits>;
  /** Deadline per entry point (a call's `timeoutMs` wins). */
  readonly timeouts?: Partial<CallTimeouts>;
  /** Restart delays (default 100 ms doubling to 2 s). */
  readonly backoff?: Partial<BackoffPolicy>;
  /**
   * When to give up (default 3 crashes in 5 minutes), counted per library file and version across
   * instances, loads and processes of this driver.
   */
  readonly crashPolicy?: Partial<CrashPolicy>;
  /** How long `close()` waits for a process to exit before SIGKILL (default 2 s). */
  readonly shutdownGraceMs?: number;
  /**
   * How long a new process may take to complete its handshake once its start began (default
   * `LIMITS.childStartTimeoutMs`, 10 s); past it the load fails with PLUGIN_START_TIMEOUT.
   */
  readonly startTimeoutMs?: number;
  /**
   * Processes started at the same time (default `LIMITS.maxConcurrentChildStarts`); further loads
   * queue, so fifty concurrent loads all succeed instead of starving each other past the deadline.
   */
  readonly maxConcurrentStarts?: number;
  /** Module run inside the child instead of the in-process driver (tests). A URL or absolute path. */
  readonly driverModule?: string;
  /** Extra Node flags for plugin processes. */
  readonly execArgv?: readonly string[];
  /**
   * Give stream credit back inside the child as soon as events left it (default false: the host
   * logic grants credit with `grantCredit` once its consumer took the chunks, end to end).
   */
  readonly autoCredit?: boolean;
  /** Chunks a stream may send before credit comes back (default 256). */
  readonly creditWindow?: number;
  /** How long a plugin thread waits for get_app_config/call_other_plugin (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** How long destroy waits for plugin threads inside the child (default 2 s). */
  readonly destroyGraceMs?: number;
  /**
   * Keep one started plugin process in reserve so a restart skips Node's start-up (default true;
   * costs one idle process per driver).
   */
  readonly warmSpare?: boolean;
}

/** The library handle the host gets: a façade over the supervisor. */
class IsolatedLibrary implements DriverLibrary {
  readonly #sup: Supervisor;
  readonly #limits: IsolationLimits;
  readonly #onClose: () => void;

  constructor(sup: Supervisor, limits: IsolationLimits, onClose: () => void) {
    this.#sup = sup;
    this.#limits = limits;
    this.#onClose = onClose;
  }

  get info(): LibraryInfo {
    return this.#sup.info;
  }

  /** The supervisor (state, pid, generation): for diagnostics and tests. */
  get supervisor(): Supervisor {
    return this.#sup;
  }

  async createInstance(meta: InstanceMetadata, options?: CallOptions): Promise<DriverInstance> {
    await this.#sup.createInstance(meta, options);
    return new IsolatedInstance(meta.instanceId, this.#sup, this.#limits);
  }

  async close(): Promise<void> {
    if (this.#sup.liveInstanceCount > 0 && this.#sup.state === 'running') {
      throw new HostError(
        'LIFECYCLE_ORDER',
        `Plugin ${this.#sup.pluginId} still has ${this.#sup.liveInstanceCount} instance(s); destroy them before closing the library.`,
        {
          pluginId: this.#sup.pluginId,
        },
      );
    }
    this.#onClose();
    await this.#sup.close();
  }
}

export type { IsolatedLibrary };

/**
 * Runs every loaded library in its own child process (which runs the in-process driver), so a
 * segfault, abort, exit, hang or memory blow-up of a plugin costs only that plugin: it is reported
 * through `hooks.onFault`, restarted with back-off and disabled after repeated crashes.
 */
export class IsolatedDriver implements PluginDriver {
  readonly kind = 'isolated' as const;
  readonly #config: SupervisorConfig;
  readonly #limits: IsolationLimits;
  readonly #pool: ProcessPool;
  readonly #libraries = new Set<Supervisor>();
  #closed = false;

  constructor(options: IsolatedDriverOptions = {}) {
    this.#limits = { ...ISOLATION_LIMITS, ...options.limits };
    this.#pool = new ProcessPool(
      {
        limits: this.#limits,
        startTimeoutMs: options.startTimeoutMs ?? LIMITS.childStartTimeoutMs,
        driverModule: options.driverModule ?? null,
        inner: {
          autoCredit: options.autoCredit ?? false,
          creditWindow: options.creditWindow ?? 256,
          requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
          destroyGraceMs: options.destroyGraceMs ?? 2_000,
        },
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      },
      options.warmSpare ?? true,
      options.maxConcurrentStarts ?? LIMITS.maxConcurrentChildStarts,
    );
    const crashPolicy = { ...DEFAULT_CRASH_POLICY, ...options.crashPolicy };
    this.#config = {
      timeouts: { ...ISOLATION_TIMEOUTS, ...options.timeouts },
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      crashPolicy,
      shutdownGraceMs: options.shutdownGraceMs ?? 2000,
      pool: this.#pool,
      ledger: new CrashLedger(crashPolicy),
    };
  }

  async loadLibrary(
    path: string,
    hooks: DriverHooks,
    options: LibraryLoadOptions = {},
  ): Promise<IsolatedLibrary> {
    if (this.#closed)
      throw new HostError('HOST_CLOSED', `The isolated driver is closed; ${path} was not loaded.`);
    const sup = await Supervisor.start(path, hooks, this.#config, options.sha256 ?? null);
    if (this.#closed) {
      await sup.close();
      throw new HostError('HOST_CLOSED', `The isolated driver was closed while ${path} was loading.`);
    }
    this.#libraries.add(sup);
    return new IsolatedLibrary(sup, this.#limits, () => this.#libraries.delete(sup));
  }

  /** End every plugin process (bounded by `shutdownGraceMs` each, in parallel). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#libraries];
    this.#libraries.clear();
    await Promise.all([...all.map((s) => s.close()), this.#pool.close()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
