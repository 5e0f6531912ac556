import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { type IpcCallRequest, validators } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import { PiStatus } from '../../generated/abi.js';
import { utf8Bytes } from '../../text-size.js';
import type { DriverHooks, FaultCause, RequestAnswer } from '../types.js';
import { KILL_GRACE_MS } from './call-timeouts.js';
import { resolveChildEntry } from './child-entry.js';
import { EventGate } from './event-gate.js';
import {
  type ChildMessage,
  type InnerDriverOptions,
  isChildMessage,
  isOpResult,
  type OpName,
  type Ops,
  type ParentMessage,
  PROTOCOL_VERSION,
} from './ipc-protocol.js';
import type { IsolationLimits } from './limits.js';
import { watchMemory } from './memory-watch.js';
import { spawnChild } from './spawn-child.js';
import { encodeFrame, FrameDecoder } from './sync-channel.js';

/** Checked inter-plugin calls kept for the child to claim (unclaimed ones are dropped, oldest first). */
const MAX_PREPARED_CALLS = 64;
/** Characters of the child's stderr kept to explain its death. */
const STDERR_TAIL_CHARS = 4096;
/** What V8 prints when the JavaScript heap is exhausted (before it aborts the process). */
const V8_OUT_OF_HEAP = /JavaScript heap out of memory|Reached heap limit/;

function isThenable(v: unknown): v is PromiseLike<RequestAnswer> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** How a plugin process ended, as the connection saw it. */
export interface ChildDeath {
  readonly cause: FaultCause;
  readonly signal: string | null;
  readonly exitCode: number | null;
  /** Labels of the calls that were pending, e.g. `handleMessage(chat-1)`. */
  readonly inFlight: readonly string[];
  readonly message: string;
}

/** How plugin processes are started (shared by every process of one driver). */
export interface SpawnConfig {
  readonly limits: IsolationLimits;
  readonly driverModule: string | null;
  readonly inner: InnerDriverOptions;
  readonly execArgv?: readonly string[];
  readonly startTimeoutMs: number;
}

/** Who a process works for: set when a library takes it (a spare process has none yet). */
export interface ConnectionBinding {
  /** Plugin id (or library name until one is known) used in every message. */
  readonly label: () => string;
  readonly hooks: DriverHooks;
  readonly onDeath: (death: ChildDeath) => void;
}

const UNBOUND: ConnectionBinding = {
  label: () => 'spare process',
  hooks: {
    onEvents: () => undefined,
    getAppConfig: () => ({ status: PiStatus.INVALID_STATE, value: null }),
    callOtherPlugin: () => ({ status: PiStatus.INVALID_STATE, value: null }),
  },
  onDeath: () => undefined,
};

interface Pending {
  readonly label: string;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: HostError) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The parent's end of one plugin process: request/response with ids and deadlines, validated
 * messages, event forwarding with limits, the synchronous request pipe, memory polling, death
 * detection (exit, signal, IPC EOF) that rejects every pending call, and bounded shutdown.
 */
export class ChildConnection {
  readonly #child: ChildProcess;
  readonly #config: SpawnConfig;
  #opts: ConnectionBinding = UNBOUND;
  readonly #pending = new Map<number, Pending>();
  readonly #gate: EventGate;
  #nextId = 1;
  readonly #prepared = new Map<number, PromiseLike<RequestAnswer>>();
  #nextPrepared = 1;
  #alive = true;
  /** The last characters the child wrote to stderr (V8 prints its fatal errors there). */
  #stderrTail = '';
  #killCause: { cause: FaultCause; message: string } | null = null;
  #shuttingDown = false;
  /** Set once the handshake succeeded: a death before that is reported by the failed start only. */
  #started = false;
  #stopMemory: () => void = () => undefined;
  readonly #timedOut: string[] = [];
  readonly exited: Promise<void>;
  readonly #driverModule: string | null;

  private constructor(
    child: ChildProcess,
    config: SpawnConfig,
    binding: ConnectionBinding,
    driverModule: string | null,
  ) {
    this.#child = child;
    this.#config = config;
    this.#opts = binding;
    this.#driverModule = driverModule;
    this.#gate = new EventGate(config.limits, () => this.#opts.label());
    let exitSeen: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let disconnected = false;
    let finish: () => void = () => undefined;
    this.exited = new Promise((r) => {
      finish = r;
    });
    const settle = (): void => {
      if (!this.#alive || exitSeen === null) return;
      this.#alive = false;
      this.#stopMemory();
      this.#die(exitSeen.code, exitSeen.signal);
      finish();
    };
    child.on('message', (m: unknown) => this.#onMessage(m));
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.stderr?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      exitSeen = { code, signal };
      // Messages still buffered in the channel arrive before its EOF: wait for it, briefly.
      if (disconnected) settle();
      else setTimeout(settle, 20);
    });
    child.on('disconnect', () => {
      disconnected = true;
      if (exitSeen) settle();
      else if (!this.#shuttingDown) {
        // A dying process closes its channel just before it is reaped: give the exit a moment.
        setTimeout(() => {
          if (!exitSeen) this.kill('disconnect', 'the plugin process closed its IPC channel');
        }, 25).unref();
      }
    });
    child.on('error', () => undefined);
    const pipe = child.stdio[4] as (Readable & Writable) | null | undefined;
    if (pipe) this.#serveSyncRequests(pipe);
  }

  /**
   * Spawn a plugin process from built JavaScript and complete the versioned handshake. `binding`
   * names the plugin in every message from the start (a spare process has none until it is taken).
   * Rejects `PLUGIN_START_TIMEOUT` when the handshake takes longer than `startTimeoutMs`.
   */
  static async start(opts: SpawnConfig, binding: ConnectionBinding = UNBOUND): Promise<ChildConnection> {
    const entry = await resolveChildEntry(opts.driverModule);
    const child = await spawnRetrying(() =>
      spawnChild({
        entry: entry.path,
        maxHeapMb: opts.limits.maxHeapMb,
        ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
      }),
    );
    const conn = new ChildConnection(child, opts, binding, entry.driverModule);
    await conn.#handshake();
    const stops: Array<() => void> = [];
    if (child.pid !== undefined) {
      stops.push(
        watchMemory(child.pid, opts.limits.maxRssBytes, opts.limits.rssPollMs, (rss) =>
          conn.kill(
            'memory',
            `the plugin process used ${Math.round(rss / 1048576)} MiB (cap ${Math.round(opts.limits.maxRssBytes / 1048576)} MiB)`,
          ),
        ),
      );
    }
    if (opts.limits.heartbeatMs > 0) stops.push(conn.#startHeartbeat(opts.limits.heartbeatMs));
    conn.#stopMemory = () => {
      for (const stop of stops) stop();
    };
    return conn;
  }

  /**
   * While no call is in flight, ping the child every `ms`; a ping unanswered within `ms` means
   * its event loop is stuck outside any call, and the deadline kills it like any other.
   */
  #startHeartbeat(ms: number): () => void {
    const timer = setInterval(() => {
      if (this.alive && this.#pending.size === 0)
        this.call('ping', {}, ms, 'heartbeat').catch(() => undefined);
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Hand the process to a library: its hooks get the events, its supervisor the death. */
  bind(binding: ConnectionBinding): void {
    this.#opts = binding;
  }

  get alive(): boolean {
    return this.#alive && this.#killCause === null;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #handshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ms = this.#config.startTimeoutMs;
      const timer = setTimeout(() => {
        const pluginId = this.#opts.label();
        this.#onReady?.(
          false,
          new HostError(
            'PLUGIN_START_TIMEOUT',
            `The process of plugin ${pluginId} did not start within ${ms} ms; the machine may be overloaded. Retry, or raise isolatedDriver.startTimeoutMs (or lower maxConcurrentStarts).`,
            { pluginId, retryable: true, detail: { startTimeoutMs: ms } },
          ),
        );
        this.kill('spawn', `the plugin process did not start within ${ms} ms`);
      }, ms);
      this.#onReady = (ok, why) => {
        clearTimeout(timer);
        this.#onReady = null;
        this.#started = ok;
        if (ok) resolve();
        else reject(why);
      };
      this.#send({
        t: 'hello',
        protocol: PROTOCOL_VERSION,
        options: {
          driverModule: this.#driverModule,
          maxBatchEvents: this.#config.limits.maxBatchEvents,
          inner: this.#config.inner,
        },
      });
    });
  }

  #onReady: ((ok: boolean, why: HostError) => void) | null = null;

  /** Call `op` in the child. Rejects TIMEOUT (and kills the child) when the deadline passes. */
  call<K extends OpName>(
    op: K,
    args: Ops[K]['args'],
    timeoutMs: number,
    label: string,
  ): Promise<Ops[K]['result']> {
    if (!this.alive) return Promise.reject(this.#crashedError(label));
    const id = this.#nextId++;
    return new Promise<Ops[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#timedOut.push(label);
        reject(
          new HostError(
            'TIMEOUT',
            `${label} of plugin ${this.#opts.label()} did not finish within ${timeoutMs} ms; its process was killed and will be restarted.`,
            { pluginId: this.#opts.label(), retryable: true, detail: { call: label, timeoutMs } },
          ),
        );
        this.kill('unresponsive', `${label} did not finish within ${timeoutMs} ms`);
      }, timeoutMs + KILL_GRACE_MS);
      this.#pending.set(id, {
        label,
        timer,
        reject,
        resolve: (v) => {
          if (isOpResult(op, v)) resolve(v);
          else {
            reject(
              new HostError(
                'INTERNAL',
                `The plugin process of ${this.#opts.label()} answered ${label} with a malformed result.`,
              ),
            );
            this.kill('protocol', `malformed result of ${label}`);
          }
        },
      });
      this.#send({ t: 'call', id, op, timeoutMs, args } as ParentMessage);
    });
  }

  /** Send a notification (credit, answer) that has no result. */
  notify(message: Extract<ParentMessage, { t: 'credit' | 'answer' }>): void {
    if (this.alive) this.#send(message);
  }

  /** SIGKILL the child; `cause` is what the death will be reported as. */
  kill(cause: FaultCause, message: string): void {
    if (!this.#alive) return;
    this.#killCause ??= { cause, message };
    this.#child.kill('SIGKILL');
  }

  /** Bounded shutdown: ask the child to close, wait `graceMs`, then SIGKILL. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (!this.#alive) return this.exited;
    this.#shuttingDown = true;
    this.#send({ t: 'shutdown' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  #send(message: ParentMessage): void {
    if (this.#child.connected) this.#child.send(message, (err) => err && undefined);
  }

  #onMessage(raw: unknown): void {
    if (!isChildMessage(raw)) {
      this.kill('protocol', 'the plugin process sent a malformed message');
      return;
    }
    this.#dispatch(raw);
  }

  #dispatch(m: ChildMessage): void {
    switch (m.t) {
      case 'ready':
        if (m.protocol !== PROTOCOL_VERSION) {
          this.#onReady?.(
            false,
            new HostError(
              'INTERNAL',
              `The plugin process speaks protocol ${m.protocol}, not ${PROTOCOL_VERSION}.`,
            ),
          );
          this.kill('protocol', `protocol ${m.protocol} instead of ${PROTOCOL_VERSION}`);
        } else this.#onReady?.(true, new HostError('INTERNAL', ''));
        return;
      case 'result': {
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.ok) p.resolve(m.value);
        else
          p.reject(
            new HostError(m.error.code, m.error.message, {
              pluginId: this.#opts.label(),
              retryable: m.error.retryable,
            }),
          );
        return;
      }
      case 'events':
        for (const batch of m.batches) {
          const events = this.#gate.admit(batch.events);
          if (events.length === 0) continue;
          try {
            this.#opts.hooks.onEvents(batch.instanceId, events);
          } catch (e) {
            // A throwing listener is the host's bug; it must not take the channel down with it.
            process.emitWarning(`onEvents threw for plugin ${this.#opts.label()}: ${String(e)}`);
          }
        }
        return;
      case 'request':
        this.#answerCall(m.ticket, m.instanceId, m.targetId, m.message, m.prepared);
        return;
    }
  }

  #answerCall(
    ticket: number,
    instanceId: string,
    targetId: string,
    message: string,
    prepared: number | undefined,
  ): void {
    const reply = (status: number, value: string | null): void =>
      this.notify({ t: 'answer', ticket, answer: { status, value } });
    const ready = prepared === undefined ? undefined : this.#prepared.get(prepared);
    if (prepared !== undefined) this.#prepared.delete(prepared);
    Promise.resolve()
      .then(() => ready ?? this.#opts.hooks.callOtherPlugin(instanceId, targetId, message))
      .then(
        (a) => reply(a.status, a.value),
        (e: unknown) => reply(PiStatus.INTERNAL, e instanceof Error ? e.message : String(e)),
      );
  }

  /**
   * A call_other_plugin checked over the request pipe (see `child-main.ts`): the host's checks
   * run now, so a refusal reaches the plugin synchronously on any thread and nothing is
   * delivered. An allowed call is kept, not started, until the child asks for it by id.
   */
  #prepareCall(f: IpcCallRequest): RequestAnswer {
    const answer = this.#opts.hooks.callOtherPlugin(f.instanceId, f.targetId, f.message);
    if (!isThenable(answer)) return answer;
    const id = this.#nextPrepared++;
    this.#prepared.set(id, answer);
    const target = (answer as { target?: unknown }).target;
    // Calls a plugin made on its JS thread are never claimed: keep only the newest few.
    for (const old of this.#prepared.keys()) {
      if (this.#prepared.size <= MAX_PREPARED_CALLS) break;
      this.#prepared.delete(old);
    }
    // "<id>" or "<id>/<target instance id>": the child refuses to wait for a target in its own process.
    return { status: PiStatus.PENDING, value: typeof target === 'string' ? `${id}/${target}` : String(id) };
  }

  /**
   * The child's JS thread waits (blocked on the request pipe) for a prepared call: deliver it now
   * and write the answer when it comes. The child is blocked, so nothing else arrives meanwhile.
   */
  #deliverPrepared(pipe: Writable, prepared: unknown): void {
    const write = (a: RequestAnswer) => {
      if (!pipe.writableEnded) pipe.write(encodeFrame(a));
    };
    const ready = typeof prepared === 'number' ? this.#prepared.get(prepared) : undefined;
    if (ready === undefined) {
      write({ status: PiStatus.NOT_FOUND, value: null });
      return;
    }
    this.#prepared.delete(prepared as number);
    Promise.resolve(ready).then(
      (a) =>
        write(
          a.value !== null && utf8Bytes(a.value) > this.#config.limits.maxPayloadBytes
            ? { status: PiStatus.LIMIT_EXCEEDED, value: null }
            : a,
        ),
      () => write({ status: PiStatus.INTERNAL, value: null }),
    );
  }

  #serveSyncRequests(pipe: Readable & Writable): void {
    const decoder = new FrameDecoder();
    pipe.on('error', () => undefined);
    pipe.on('data', (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch {
        this.kill('protocol', 'the plugin process sent a malformed request frame');
        return;
      }
      for (const f of frames) {
        // The child is blocked until this answer arrives: always write one.
        let answer: RequestAnswer = { status: PiStatus.INVALID_ARGUMENT, value: null };
        // Every frame is checked against the spec's request schemas (isolated-ipc.ts).
        if (validators.isolatedWaitRequest.check(f)) {
          this.#deliverPrepared(pipe, f.wait);
          continue;
        }
        if (validators.isolatedCallRequest.check(f)) {
          try {
            answer = this.#prepareCall(f);
          } catch {
            answer = { status: PiStatus.INTERNAL, value: null };
          }
        } else if (validators.isolatedAppConfigRequest.check(f)) {
          try {
            answer = this.#opts.hooks.getAppConfig(f.instanceId, f.key);
          } catch {
            answer = { status: PiStatus.INTERNAL, value: null };
          }
          if (answer.value !== null && utf8Bytes(answer.value) > this.#config.limits.maxPayloadBytes) {
            answer = { status: PiStatus.LIMIT_EXCEEDED, value: null };
          }
        }
        pipe.write(encodeFrame(answer));
      }
    });
  }

  #crashedError(label: string): HostError {
    return new HostError(
      'PLUGIN_CRASHED',
      `Plugin ${this.#opts.label()} is not running (its process ended); ${label} was not sent.`,
      { pluginId: this.#opts.label(), retryable: true, detail: { call: label } },
    );
  }

  #die(code: number | null, signal: NodeJS.Signals | null): void {
    const inFlight = [...this.#timedOut, ...[...this.#pending.values()].map((p) => p.label)];
    const cause: FaultCause =
      this.#killCause?.cause ??
      (V8_OUT_OF_HEAP.test(this.#stderrTail) ? 'memory' : undefined) ??
      (signal ? 'signal' : this.#shuttingDown ? 'exit' : code === null ? 'disconnect' : 'exit');
    const outOfHeap = this.#killCause === null && V8_OUT_OF_HEAP.test(this.#stderrTail);
    const how = this.#killCause
      ? `${this.#killCause.message} (killed with SIGKILL)`
      : outOfHeap
        ? `it ran out of JavaScript heap (the cap is ${this.#config.limits.maxHeapMb} MiB, isolatedDriver.limits.maxHeapMb) and ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`
        : signal
          ? `it was killed by ${signal}`
          : `it exited with code ${code}`;
    const during = inFlight.length > 0 ? ` during ${inFlight.join(', ')}` : '';
    const message = `The process of plugin ${this.#opts.label()} died${during}: ${how}.`;
    const pluginId = this.#opts.label();
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(
        new HostError('PLUGIN_CRASHED', `${message} The call ${p.label} did not complete.`, {
          pluginId,
          retryable: true,
          detail: { call: p.label, signal, exitCode: code, cause },
        }),
      );
    }
    this.#pending.clear();
    this.#onReady?.(
      false,
      new HostError('PLUGIN_CRASHED', message, { pluginId, detail: { signal, exitCode: code, cause } }),
    );
    if (!this.#shuttingDown && this.#started)
      this.#opts.onDeath({ cause, signal, exitCode: code, inFlight, message });
  }
}

/** Attempts at creating a plugin process when the OS refuses one (a transient failure). */
const SPAWN_ATTEMPTS = 3;

/**
 * Create a process, trying again (after 25 ms, then 50 ms) when the OS refuses synchronously – Node
 * throws `spawn UNKNOWN` or `spawn EAGAIN` for a process the system could not create at that moment
 * (seen under wine with many processes starting at once). The last refusal is a typed error.
 */
export async function spawnRetrying<T>(spawn: () => T, attempts = SPAWN_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return spawn();
    } catch (e) {
      if (i >= attempts)
        throw new HostError(
          'INTERNAL',
          `The system refused to create a plugin process ${attempts} times: ${(e as Error).message}. Retry later, or start fewer plugins at once (isolatedDriver.maxConcurrentStarts).`,
          { retryable: true, cause: e },
        );
      await new Promise((r) => setTimeout(r, 25 * i));
    }
  }
}
