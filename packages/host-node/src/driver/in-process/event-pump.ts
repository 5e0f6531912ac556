import { LIMITS } from '@plugin-interfaces/spec';
import { PiStatus } from '../../generated/abi.js';
import { type NativeRuntime, requestKindName } from '../../native/runtime.js';
import { type DriverHooks, isSyncAnswer, type PluginEvent, type RequestAnswer } from '../types.js';
import type { CallStateView } from './call-state.js';
import {
  type DecodedBatch,
  decodeRecords,
  emptyBatch,
  RECORD_SIZE,
  type RequestRecord,
} from './event-decoder.js';

const MAX_RECORDS = LIMITS.runtimeDrainRecords;
/**
 * Stream ids are kept in a small table indexed by handle (handle % slots): a stream's chunks get
 * the same id string every time (the host hashes it per chunk), however many streams came before.
 */
const STREAM_ID_SLOTS = 256;
/** First size of the shared string region; it grows to fit the largest record seen. */
const FIRST_STRING_BYTES = 64 * 1024;

/**
 * The drain buffers, one set per process, allocated on first use. Draining runs synchronously on
 * the event-loop thread and a batch is decoded into JavaScript strings before it is delivered, so
 * a pump re-entered from `onEvents` may reuse them: an idle instance costs no buffer at all.
 */
const shared = {
  hdr: new Uint8Array(0),
  hdrView: new DataView(new ArrayBuffer(0)),
  str: new Uint8Array(0),
  strLen: new Uint32Array(1),
};

function ensureBuffers(): void {
  if (shared.hdr.length === 0) {
    shared.hdr = new Uint8Array(RECORD_SIZE * MAX_RECORDS);
    shared.hdrView = new DataView(shared.hdr.buffer);
    shared.str = new Uint8Array(FIRST_STRING_BYTES);
  }
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Moves one instance's queued native records to the host logic: drains them in batches (after
 * every entry call and whenever the runtime's wake-up pipe fires), keeps the stream id map,
 * returns credit automatically when configured, answers blocking requests, and holds the event
 * loop open from construction until `close` (the runtime holds it for every attached instance;
 * the extra holds while a stream is active or a request is pending are counted on top).
 */
export class EventPump {
  private readonly handles = new Map<string, bigint>();
  private readonly active = new Set<number>();
  private pendingRequests = 0;
  private readonly awaitedReplies = new Set<number>();
  private extraEvents: PluginEvent[] = [];
  private closed = false;
  /** Stream ids by handle slot, built once per stream (not per chunk: the host hashes them per chunk). */
  private readonly slotHandle = new Float64Array(STREAM_ID_SLOTS).fill(-1);
  private readonly slotId: string[] = new Array<string>(STREAM_ID_SLOTS).fill('');
  private readonly streamId = (h: number): string => {
    const slot = h % STREAM_ID_SLOTS;
    if (this.slotHandle[slot] === h) return this.slotId[slot] as string;
    const id = `${this.instanceId}/s${h}`;
    this.slotHandle[slot] = h;
    this.slotId[slot] = id;
    return id;
  };

  constructor(
    private readonly rt: NativeRuntime,
    private readonly inst: bigint,
    private readonly instanceId: string,
    private readonly hooks: DriverHooks,
    private readonly autoCredit: boolean,
    private readonly cs: CallStateView,
  ) {
    rt.attach(inst, {
      wake: () => this.drain(),
      request: (kind, a, b, ticket) => this.syncRequest({ ticket, kind: requestKindName(kind), a, b }),
    });
  }

  /** The native handle of a public stream id, or null. */
  handleOf(streamId: string): bigint | null {
    return this.handles.get(streamId) ?? null;
  }

  /** Number of streams that are active or paused. */
  get activeStreams(): number {
    return this.active.size;
  }

  /** handle_message answered PENDING: hold the loop until its reply event arrives. */
  expectReply(requestId: number): void {
    if (!this.closed && !this.awaitedReplies.has(requestId)) {
      this.awaitedReplies.add(requestId);
      this.rt.hold();
    }
  }

  /** Queue host-side events to deliver with the next batch. */
  extra(events: PluginEvent[]): void {
    this.extraEvents.push(...events);
  }

  /** Drain when the call state says records are waiting. */
  drainAfterCall(): void {
    if (this.cs.queued !== 0 || this.extraEvents.length > 0) this.drain();
  }

  /** Deliver queued host-side events now. */
  flush(): void {
    if (this.extraEvents.length > 0) this.deliver(emptyBatch());
  }

  /** Drain every waiting record, batch by batch. */
  drain(): void {
    // Always ask the runtime at least once: that call also re-arms the instance's wake-ups.
    ensureBuffers();
    while (!this.closed) {
      const n = this.rt.drain(
        this.inst,
        shared.hdr,
        MAX_RECORDS,
        shared.str,
        shared.str.length,
        shared.strLen,
      );
      if (n === 0) {
        // Nothing fitted: grow only when the next record is larger than the buffer (records are
        // bounded by the runtime's string limit). A count that runs ahead of a record not yet in
        // the queue (a producer between the two) is no reason to grow: its append wakes us again.
        const next = this.cs.queued === 0 ? 0 : this.rt.nextRecordBytes(this.inst);
        if (next <= shared.str.length) break;
        shared.str = new Uint8Array(next * 2);
        continue;
      }
      const batch = emptyBatch();
      decodeRecords(shared.hdrView, n, shared.str, shared.strLen[0]!, this.streamId, batch);
      this.deliver(batch);
      if (this.cs.queued === 0) break;
    }
    this.flush();
  }

  private deliver(batch: DecodedBatch): void {
    for (const h of batch.started) {
      this.handles.set(this.streamId(h), BigInt(h));
      this.active.add(h);
      this.rt.hold();
    }
    for (const h of batch.ended) {
      if (this.active.delete(h)) this.rt.release_hold();
      // An ended stream takes no control and no credit: its handle is forgotten.
      this.handles.delete(this.streamId(h));
    }
    if (this.awaitedReplies.size > 0) {
      for (const e of batch.events) {
        if (e.kind === 'reply' && this.awaitedReplies.delete(e.requestId)) this.rt.release_hold();
      }
    }
    const events = this.extraEvents.length > 0 ? [...this.extraEvents, ...batch.events] : batch.events;
    this.extraEvents = [];
    if (events.length > 0) {
      try {
        this.hooks.onEvents(this.instanceId, events);
      } catch (e) {
        process.emitWarning(`onEvents of ${this.instanceId} threw: ${(e as Error).message}`, 'HostWarning');
      }
    }
    if (this.autoCredit && !this.closed) {
      for (const [h, chunks] of batch.chunks) this.rt.grantCredit(this.inst, BigInt(h), chunks);
    }
    for (const r of batch.requests) this.serve(r);
  }

  private ask(r: RequestRecord): RequestAnswer | Promise<RequestAnswer> {
    return r.kind === 'app_config'
      ? this.hooks.getAppConfig(this.instanceId, r.a)
      : this.hooks.callOtherPlugin(this.instanceId, r.a, r.b ?? '');
  }

  private answer(r: RequestRecord, a: RequestAnswer): void {
    this.rt.answer(this.inst, r.ticket, a.status, a.value);
  }

  private failed(r: RequestRecord, e: unknown): RequestAnswer {
    this.extraEvents.push({
      kind: 'violation',
      code: 'INTERNAL',
      message: `${r.kind} hook threw: ${(e as Error)?.message ?? String(e)}`,
    });
    return { status: PiStatus.INTERNAL, value: null };
  }

  /** A request from a plugin thread: may be answered later; the plugin thread waits. */
  private serve(r: RequestRecord): void {
    let a: RequestAnswer | Promise<RequestAnswer>;
    try {
      a = this.ask(r);
    } catch (e) {
      this.answer(r, this.failed(r, e));
      return;
    }
    if (!isPromise(a)) {
      this.answer(r, a);
      return;
    }
    this.pendingRequests++;
    this.rt.hold();
    const done = (ans: RequestAnswer) => {
      if (this.closed) return;
      this.pendingRequests--;
      this.rt.release_hold();
      this.answer(r, ans);
      this.flush();
    };
    a.then(done, (e: unknown) => done(this.failed(r, e)));
  }

  /** A request made on the event-loop thread (inside an entry call): must be answered now. */
  private syncRequest(r: RequestRecord): void {
    let a: RequestAnswer | Promise<RequestAnswer>;
    try {
      a = this.ask(r);
    } catch (e) {
      this.answer(r, this.failed(r, e));
      return;
    }
    if (isPromise(a)) {
      // An inter-plugin call whose target can answer synchronously is delivered now.
      const now = isSyncAnswer(a) ? a.tryNow() : null;
      if (now !== null) {
        this.answer(r, now);
        return;
      }
      a.catch(() => undefined);
      this.extraEvents.push({
        kind: 'violation',
        code: 'LIFECYCLE_ORDER',
        message: `${r.kind === 'app_config' ? 'get_app_config' : 'call_other_plugin'} was called on the host thread but cannot be answered synchronously (the target is busy or runs in the same plugin process); nothing was delivered. Call it from a plugin thread.`,
      });
      this.answer(r, { status: PiStatus.INVALID_STATE, value: null });
      return;
    }
    this.answer(r, a);
  }

  /** Stop delivering; release every loop hold this instance owns. */
  close(): void {
    this.drain();
    this.closed = true;
    for (let i = 0; i < this.active.size + this.pendingRequests + this.awaitedReplies.size; i++)
      this.rt.release_hold();
    this.active.clear();
    this.awaitedReplies.clear();
    this.pendingRequests = 0;
    this.rt.detach(this.inst);
  }
}
