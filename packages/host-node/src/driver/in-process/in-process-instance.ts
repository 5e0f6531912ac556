import { LIMITS, type UiEvent } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import { PiStatus, PiStreamControl } from '../../generated/abi.js';
import { CallFlag, ControlBy, JsonIn, Lifecycle } from '../../generated/runtime.js';
import type { NativeRuntime } from '../../native/runtime.js';
import type {
  CallOptions,
  CallOutcome,
  DriverHooks,
  DriverInstance,
  FrameOutcome,
  LifecycleEntry,
  MessageOutcome,
  PluginEvent,
  RequestAnswer,
} from '../types.js';
import { CallStateView } from './call-state.js';
import { EventPump } from './event-pump.js';
import { decodeFailure, hostFailure } from './outcome.js';
import { UiRecorder } from './ui-recorder.js';

const LIFECYCLE_INDEX: Record<LifecycleEntry, number> = {
  on_mount: Lifecycle.ON_MOUNT,
  on_dispose: Lifecycle.ON_DISPOSE,
  on_connect: Lifecycle.ON_CONNECT,
  on_disconnect: Lifecycle.ON_DISCONNECT,
};
const CONTROL: Record<'pause' | 'resume' | 'cancel', number> = {
  pause: PiStreamControl.PAUSE,
  resume: PiStreamControl.RESUME,
  cancel: PiStreamControl.CANCEL,
};

/** Settings of one in-process instance. */
export interface InstanceSettings {
  readonly autoCredit: boolean;
  /** How long destroy waits for plugin threads still inside host calls. */
  readonly destroyGraceMs: number;
}

const OK: CallOutcome = Object.freeze({ ok: true });
/** Largest handle_message reply accepted, in UTF-8 bytes (enforced by the runtime as well). */
export const MAX_REPLY_BYTES = LIMITS.maxReplyBytes;

const NO_REPLY: MessageOutcome = Object.freeze({ ok: true, pending: false, reply: null });
const PENDING: MessageOutcome = Object.freeze({ ok: true, pending: true });
const noop = () => undefined;

/**
 * One plugin instance running in this process. Entry calls run one at a time: a call made while
 * the instance is idle runs synchronously (one trampoline call into the native runtime, then a
 * drain only when the shim's call state says records are waiting) and returns an already-settled
 * promise; a call made while another is queued or running (e.g. re-entered from `onEvents`, or
 * while destroy waits) goes through a promise chain behind it. After destroy every call is refused.
 */
export class InProcessInstance implements DriverInstance {
  private chain: Promise<unknown> = Promise.resolve();
  /** Calls queued on the chain or running (a synchronous call counts while it runs). */
  private busy = 0;
  private state: 'live' | 'destroying' | 'destroyed' = 'live';
  private readonly recorder: UiRecorder;
  private readonly cs: CallStateView;
  private readonly errPtr: bigint;
  readonly pump: EventPump;

  constructor(
    readonly instanceId: string,
    private readonly rt: NativeRuntime,
    readonly inst: bigint,
    hooks: DriverHooks,
    private readonly settings: InstanceSettings,
    private readonly onGone: (i: InProcessInstance) => void,
  ) {
    this.cs = new CallStateView(rt.callState(inst)!);
    this.errPtr = rt.error(inst)!;
    this.recorder = new UiRecorder(rt);
    this.pump = new EventPump(rt, inst, instanceId, hooks, settings.autoCredit, this.cs);
  }

  /** The last recorded UI tree. */
  get lastTree() {
    return this.recorder.lastTree;
  }

  /** Run one entry call now (the caller made sure nothing else runs). Throws HostError. */
  private exec<T>(entry: string, options: CallOptions | undefined, work: () => T): T {
    if (this.state !== 'live') {
      throw new HostError('LIFECYCLE_ORDER', `${entry} on instance ${this.instanceId} after destroy.`, {
        instanceId: this.instanceId,
      });
    }
    if (options?.signal?.aborted)
      throw new HostError('CANCELLED', `${entry} on ${this.instanceId} was cancelled before it started.`);
    try {
      return work();
    } finally {
      this.pump.drainAfterCall();
    }
  }

  private serial<T>(entry: string, options: CallOptions | undefined, work: () => T): Promise<T> {
    if (this.busy === 0) {
      // Idle: nothing queued or running, so running now keeps calls in order and never overlaps.
      this.busy = 1;
      try {
        return Promise.resolve(this.exec(entry, options, work));
      } catch (e) {
        return Promise.reject(e);
      } finally {
        this.busy = 0;
      }
    }
    return this.enqueue(() => this.exec(entry, options, work));
  }

  /** Run `work` after every call queued before it. */
  private enqueue<T>(work: () => T | Promise<T>): Promise<T> {
    this.busy++;
    const run = async (): Promise<T> => {
      try {
        return await work();
      } finally {
        this.busy--;
      }
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(noop);
    return p;
  }

  private outcome(entry: string, status: number): CallOutcome {
    const flags = this.cs.flags;
    if (status === PiStatus.OK && (flags & CallFlag.BAD_STATUS) === 0) return OK;
    return decodeFailure(this.errPtr, status, entry, flags);
  }

  lifecycle(entry: LifecycleEntry, options?: CallOptions): Promise<CallOutcome> {
    return this.serial(entry, options, () => {
      const st = this.rt.lifecycle(this.inst, LIFECYCLE_INDEX[entry]);
      return st === PiStatus.UNSUPPORTED && this.cs.flags === 0 ? OK : this.outcome(entry, st);
    });
  }

  updateUi(events: readonly UiEvent[], options?: CallOptions): Promise<FrameOutcome> {
    return this.serial('update_ui', options, () => {
      const frame = this.recorder.record(events, (ui) => this.rt.updateUi(this.inst, ui));
      if (frame.violations.length > 0) this.pump.extra(frame.violations);
      if (frame.error)
        throw new HostError(frame.error.code, frame.error.message, { instanceId: this.instanceId });
      const o = this.outcome('update_ui', frame.status);
      return o.ok && frame.tree
        ? { ok: true, tree: frame.tree }
        : o.ok
          ? hostFailure(PiStatus.INTERNAL, 'no tree')
          : o;
    });
  }

  handleMessage(requestId: number, message: string, options?: CallOptions): Promise<MessageOutcome> {
    return this.serial('handle_message', options, () => this.callHandleMessage(requestId, message));
  }

  handleMessageNow(requestId: number, message: string): MessageOutcome | null {
    // `now` inlined: the message path allocates no closure.
    if (this.busy !== 0 || this.state !== 'live') return null;
    this.busy = 1;
    try {
      return this.callHandleMessage(requestId, message);
    } finally {
      this.busy = 0;
      this.pump.drainAfterCall();
    }
  }

  sendJsonNow(entry: 'set_history' | 'apply_settings', json: string | null): CallOutcome | null {
    return this.now(entry, () => this.callJson(entry, json));
  }

  /** Run one entry call synchronously when the instance is idle; null (nothing run) when it is not. */
  private now<T>(entry: string, work: () => T): T | null {
    if (this.busy !== 0 || this.state !== 'live') return null;
    this.busy = 1;
    try {
      return this.exec(entry, undefined, work);
    } finally {
      this.busy = 0;
    }
  }

  private callHandleMessage(requestId: number, message: string): MessageOutcome {
    // koffi takes a Number for uint64_t: no BigInt per call.
    const reply = this.rt.handleMessage(this.inst, requestId, message);
    const cs = this.cs;
    const status = cs.status;
    const flags = cs.flags;
    if ((flags & CallFlag.REPLY_TOO_LARGE) !== 0)
      throw new HostError(
        'PAYLOAD_TOO_LARGE',
        `The reply of instance ${this.instanceId} is larger than ${MAX_REPLY_BYTES} bytes (the limit).`,
        { instanceId: this.instanceId },
      );
    if ((flags & CallFlag.REPLY_NOT_UTF8) !== 0)
      throw new HostError('INVALID_UTF8', `The reply of instance ${this.instanceId} is not valid UTF-8.`, {
        instanceId: this.instanceId,
      });
    if (status === PiStatus.PENDING && (flags & CallFlag.BAD_STATUS) === 0) {
      this.pump.expectReply(requestId);
      return PENDING;
    }
    if (reply !== null && reply.length * 3 > MAX_REPLY_BYTES && Buffer.byteLength(reply) > MAX_REPLY_BYTES)
      throw new HostError(
        'PAYLOAD_TOO_LARGE',
        `The reply of instance ${this.instanceId} is ${Buffer.byteLength(reply)} bytes; the limit is ${MAX_REPLY_BYTES}.`,
        { instanceId: this.instanceId },
      );
    if (status === PiStatus.OK && (flags & CallFlag.BAD_STATUS) === 0)
      return reply === null ? NO_REPLY : { ok: true, pending: false, reply };
    const o = this.outcome('handle_message', status);
    return o.ok ? { ok: true, pending: false, reply } : o;
  }

  sendJson(
    entry: 'set_history' | 'apply_settings',
    json: string | null,
    options?: CallOptions,
  ): Promise<CallOutcome> {
    return this.serial(entry, options, () => this.callJson(entry, json));
  }

  private callJson(entry: 'set_history' | 'apply_settings', json: string | null): CallOutcome {
    return this.outcome(
      entry,
      this.rt.jsonIn(this.inst, entry === 'set_history' ? JsonIn.SET_HISTORY : JsonIn.APPLY_SETTINGS, json),
    );
  }

  controlStream(streamId: string, control: 'pause' | 'resume' | 'cancel'): Promise<CallOutcome> {
    return this.serial('on_stream_control', undefined, () => {
      const handle = this.pump.handleOf(streamId);
      if (handle === null)
        return hostFailure(PiStatus.NOT_FOUND, `No stream ${streamId} in instance ${this.instanceId}.`);
      const st = this.rt.controlStream(this.inst, handle, CONTROL[control], ControlBy.USER);
      if (st !== PiStatus.OK)
        return hostFailure(st, `Cannot ${control} stream ${streamId}: it is not in a state that allows it.`);
      const told = this.rt.streamControlCall(this.inst, handle, CONTROL[control]);
      return told === PiStatus.UNSUPPORTED && this.cs.flags === 0
        ? OK
        : this.outcome('on_stream_control', told);
    });
  }

  grantCredit(streamId: string, chunks: number): void {
    const handle = this.pump.handleOf(streamId);
    if (handle !== null && this.state === 'live')
      this.rt.grantCredit(this.inst, handle, Math.max(0, Math.floor(chunks)));
  }

  /** Create the plugin instance (called once by the library). */
  create(vtable: bigint, meta: Uint8Array): CallOutcome {
    const st = this.rt.create(this.inst, vtable, meta);
    this.pump.drainAfterCall();
    if (st === PiStatus.OK && this.cs.has(CallFlag.CREATE_NO_INSTANCE)) {
      return hostFailure(PiStatus.INTERNAL, 'create returned OK but left *out_instance NULL.');
    }
    return this.outcome('create', st);
  }

  /** Answer a blocking request synchronously (used by the library for event-loop-thread requests). */
  answer(ticket: bigint, a: RequestAnswer): void {
    this.rt.answer(this.inst, ticket, a.status, a.value);
  }

  destroy(options?: CallOptions): Promise<void> {
    return this.enqueue(async (): Promise<void> => {
      if (this.state !== 'live') return;
      this.state = 'destroying';
      this.pump.drainAfterCall();
      this.rt.destroy(this.inst);
      const deadline = Date.now() + (options?.timeoutMs ?? this.settings.destroyGraceMs);
      while (this.rt.inflight(this.inst) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      this.pump.close();
      this.rt.release(this.inst);
      this.state = 'destroyed';
      this.onGone(this);
    });
  }

  /** Deliver host-side events (violations found by the driver). */
  report(events: PluginEvent[]): void {
    this.pump.extra(events);
    this.pump.flush();
  }
}
