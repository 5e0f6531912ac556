import { basename } from 'node:path';
import { HostError } from '../../errors.js';
import type { CallOptions, DriverFault, DriverHooks, InstanceMetadata, LibraryInfo } from '../types.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { type CallTimeouts, timeoutFor } from './call-timeouts.js';
import type { ChildConnection, ChildDeath } from './connection.js';
import { type CrashLedger, libraryIdentity } from './crash-ledger.js';
import type { CrashPolicy } from './crash-window.js';
import type { LibraryInfoWire, OpName, Ops } from './ipc-protocol.js';
import type { ProcessPool } from './process-pool.js';

/** Everything a supervisor needs besides the library path and the hooks. */
export interface SupervisorConfig {
  readonly timeouts: CallTimeouts;
  readonly backoff: BackoffPolicy;
  readonly crashPolicy: CrashPolicy;
  readonly shutdownGraceMs: number;
  readonly pool: ProcessPool;
  /** Crash counts per library and version, shared by every supervisor of one driver. */
  readonly ledger: CrashLedger;
}

export type SupervisorState = 'running' | 'restarting' | 'disabled' | 'closed';

function toInfo(w: LibraryInfoWire): LibraryInfo {
  return { ...w, entries: new Set(w.entries) };
}

/**
 * Keeps one library's plugin process alive: starts it, notices its death, reports a fault,
 * restarts it with back-off and re-creates the live instances (same metadata, same instance ids),
 * and disables the plugin after too many crashes inside the window.
 */
export class Supervisor {
  readonly path: string;
  info: LibraryInfo;
  state: SupervisorState = 'running';
  /** Bumped by every successful (re)start; instances remember the one they live in. */
  generation = 1;
  readonly #hooks: DriverHooks;
  readonly #config: SupervisorConfig;
  /** What this library's crashes are counted under in the ledger (see `libraryIdentity`). */
  readonly #identity: string;
  readonly #instances = new Map<string, { meta: InstanceMetadata; generation: number }>();
  #conn: ChildConnection;
  #pluginId: string;
  #restartTimer: NodeJS.Timeout | null = null;
  #attempt = 0;
  #disabledReason = '';
  /** The checksum the child verifies on its shadow copy at every (re)load, or null. */
  readonly #sha256: string | null;

  private constructor(
    path: string,
    hooks: DriverHooks,
    config: SupervisorConfig,
    conn: ChildConnection,
    info: LibraryInfo,
    identity: string,
    sha256: string | null,
  ) {
    this.path = path;
    this.#sha256 = sha256;
    this.#hooks = hooks;
    this.#config = config;
    this.#identity = identity;
    this.#conn = conn;
    this.info = info;
    this.#pluginId = basename(path);
  }

  /** Start the process and load the library; a failure here is thrown, not supervised. */
  static async start(
    path: string,
    hooks: DriverHooks,
    config: SupervisorConfig,
    sha256: string | null = null,
  ): Promise<Supervisor> {
    let self: Supervisor | null = null;
    const fallback = basename(path);
    const identity = await libraryIdentity(path);
    const conn = await config.pool.take({
      hooks,
      label: () => (self ? self.#pluginId : fallback),
      onDeath: (d) => {
        if (self) self.#onDeath(d);
      },
    });
    try {
      const wire = await conn.call(
        'load',
        { path, sha256 },
        timeoutFor('load', config.timeouts, undefined),
        'load',
      );
      self = new Supervisor(path, hooks, config, conn, toInfo(wire), identity, sha256);
      return self;
    } catch (e) {
      const died = !conn.alive;
      await conn.shutdown(config.shutdownGraceMs);
      if (died) throw Supervisor.#crashedWhileLoading(fallback, identity, config, e);
      throw e;
    }
  }

  /**
   * A library whose load kills its process (a constructor that aborts) crashes on every load: count
   * it like any crash, and once the count reaches the limit, refuse it as disabled.
   */
  static #crashedWhileLoading(name: string, identity: string, config: SupervisorConfig, e: unknown): unknown {
    const count = config.ledger.record(identity, Date.now());
    if (!config.ledger.exhausted(count)) return e;
    config.ledger.clear(identity);
    const why = e instanceof Error ? e.message : String(e);
    return new HostError(
      'PLUGIN_DISABLED_AFTER_CRASHES',
      `Plugin ${name} crashed ${count} times while loading within ${Math.round(config.crashPolicy.windowMs / 1000)} s and was disabled. Last crash: ${why}`,
      { pluginId: name, detail: { crashCount: count }, cause: e },
    );
  }

  get pluginId(): string {
    return this.#pluginId;
  }

  /** The process id of the current plugin process (tests, diagnostics). */
  get pid(): number | undefined {
    return this.#conn.pid;
  }

  /** Call `op` in the current process; refuses while crashed, restarting or disabled. */
  call<K extends OpName>(
    op: K,
    args: Ops[K]['args'],
    options: CallOptions | undefined,
    label: string,
    generation?: number,
  ): Promise<Ops[K]['result']> {
    const refused = this.#refusal(label, generation);
    if (refused) return Promise.reject(refused);
    const timeout = timeoutFor(op, this.#config.timeouts, options);
    const p = this.#conn.call(op, args, timeout, label);
    const signal = options?.signal;
    if (!signal) return p;
    if (signal.aborted) return Promise.reject(this.#cancelled(label));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(this.#cancelled(label));
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Send a credit/answer notification to the current process. */
  notify(message: Parameters<ChildConnection['notify']>[0]): void {
    this.#conn.notify(message);
  }

  #cancelled(label: string): HostError {
    return new HostError('CANCELLED', `${label} of plugin ${this.#pluginId} was cancelled.`, {
      pluginId: this.#pluginId,
    });
  }

  #refusal(label: string, generation: number | undefined): HostError | null {
    if (this.state === 'disabled') {
      return new HostError('PLUGIN_DISABLED_AFTER_CRASHES', this.#disabledReason, {
        pluginId: this.#pluginId,
      });
    }
    if (this.state === 'closed')
      return new HostError('HOST_CLOSED', `The isolated driver of plugin ${this.#pluginId} is closed.`);
    if (
      this.state === 'restarting' ||
      !this.#conn.alive ||
      (generation !== undefined && generation !== this.generation)
    ) {
      return new HostError(
        'PLUGIN_CRASHED',
        `Plugin ${this.#pluginId} crashed and is not running yet; ${label} was not sent.`,
        {
          pluginId: this.#pluginId,
          retryable: true,
        },
      );
    }
    return null;
  }

  /** Create an instance in the current process and remember it for restarts. */
  async createInstance(meta: InstanceMetadata, options: CallOptions | undefined): Promise<number> {
    this.#pluginId = meta.id;
    const generation = this.generation;
    await this.call('create', { meta }, options, `create(${meta.instanceId})`);
    this.#instances.set(meta.instanceId, { meta, generation });
    return generation;
  }

  /** Forget an instance (destroyed by the host): it is not re-created by a restart. */
  forget(instanceId: string): void {
    this.#instances.delete(instanceId);
  }

  /** The generation an instance lives in, or undefined when it is gone. */
  generationOf(instanceId: string): number | undefined {
    return this.#instances.get(instanceId)?.generation;
  }

  get liveInstanceCount(): number {
    return this.#instances.size;
  }

  #emit(fault: DriverFault): void {
    try {
      this.#hooks.onFault?.(fault);
    } catch {
      // A throwing listener must not stop supervision.
    }
  }

  #onDeath(death: ChildDeath): void {
    if (this.state === 'closed' || this.state === 'disabled') return;
    const crashCount = this.#config.ledger.record(this.#identity, Date.now());
    const exhausted = this.#config.ledger.exhausted(crashCount);
    const restartInMs = exhausted ? null : backoffDelay(this.#config.backoff, crashCount);
    const base = { pluginId: this.#pluginId, libraryPath: this.path };
    this.#emit({
      kind: 'crashed',
      code: 'PLUGIN_CRASHED',
      ...base,
      cause: death.cause,
      signal: death.signal,
      exitCode: death.exitCode,
      inFlight: death.inFlight,
      instanceIds: [...this.#instances.keys()],
      crashCount,
      restartInMs,
      message: death.message,
    });
    if (restartInMs === null) {
      this.#disable(
        `Plugin ${this.#pluginId} crashed ${crashCount} times within ${Math.round(this.#config.crashPolicy.windowMs / 1000)} s (counted across loads of this library version) and was disabled. Last crash: ${death.message}`,
        crashCount,
      );
      return;
    }
    this.state = 'restarting';
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      void this.#restart();
    }, restartInMs);
  }

  #disable(reason: string, crashCount: number): void {
    this.state = 'disabled';
    this.#disabledReason = reason;
    this.#config.ledger.clear(this.#identity);
    this.#emit({
      kind: 'disabled',
      code: 'PLUGIN_DISABLED_AFTER_CRASHES',
      pluginId: this.#pluginId,
      libraryPath: this.path,
      crashCount,
      message: reason,
    });
  }

  async #restart(): Promise<void> {
    if (this.state !== 'restarting') return;
    this.#attempt++;
    let conn: ChildConnection;
    try {
      conn = await this.#config.pool.take({
        hooks: this.#hooks,
        label: () => this.#pluginId,
        onDeath: (d) => this.#onDeath(d),
      });
    } catch (e) {
      // The new process died or hung before its handshake: count it as a crash (next back-off).
      if (this.state === 'restarting') {
        this.#onDeath({
          cause: 'spawn',
          signal: null,
          exitCode: null,
          inFlight: [],
          message: `The process of plugin ${this.#pluginId} did not start: ${(e as Error).message}`,
        });
      }
      return;
    }
    if (this.state !== 'restarting') {
      await conn.shutdown(this.#config.shutdownGraceMs);
      return;
    }
    this.#conn = conn;
    const created: string[] = [];
    const failed: string[] = [];
    try {
      this.info = toInfo(
        await conn.call(
          'load',
          { path: this.path, sha256: this.#sha256 },
          this.#config.timeouts.load,
          'load',
        ),
      );
      for (const [id, entry] of this.#instances) {
        try {
          await conn.call('create', { meta: entry.meta }, this.#config.timeouts.create, `create(${id})`);
          created.push(id);
        } catch (e) {
          if (!conn.alive) throw e;
          failed.push(id);
        }
      }
    } catch (e) {
      if (conn.alive && this.state === 'restarting') {
        await conn.shutdown(this.#config.shutdownGraceMs);
        this.#disable(
          `Plugin ${this.#pluginId} could not be reloaded after a crash: ${(e as Error).message}`,
          0,
        );
      }
      return;
    }
    if (this.state !== 'restarting' || !conn.alive) {
      if (conn.alive) await conn.shutdown(this.#config.shutdownGraceMs);
      return;
    }
    this.generation++;
    for (const id of created) {
      const entry = this.#instances.get(id);
      if (entry) entry.generation = this.generation;
    }
    for (const id of failed) this.#instances.delete(id);
    this.state = 'running';
    this.#emit({
      kind: 'restarted',
      pluginId: this.#pluginId,
      libraryPath: this.path,
      instanceIds: created,
      failedInstanceIds: failed,
      attempt: this.#attempt,
    });
  }

  /** Stop supervising and end the process (bounded: ask, wait, kill). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#instances.clear();
    await this.#conn.shutdown(this.#config.shutdownGraceMs);
  }
}
