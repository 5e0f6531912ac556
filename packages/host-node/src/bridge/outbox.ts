import { BRIDGE_MAX_FRAME, type BridgeServerFrame, type ErrorInfo } from '@plugin-interfaces/spec';

/** The part of a `ws` WebSocket the outbox writes to. */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
}

/** Flow-control limits of one client. */
export interface OutboxLimits {
  /** While the socket holds more than this many unsent bytes, frames wait here and streams coalesce. */
  readonly highWaterBytes: number;
  /** More than this many bytes waiting here: the client is hopeless and `onOverflow` is called. */
  readonly maxQueuedBytes: number;
  /** How often a waiting queue retries, in ms. */
  readonly retryMs?: number;
  /**
   * Batch `stream_data` always, not only behind a slow socket: the chunks of one stream wait at
   * most this long (0: until the next turn of the event loop, via `setImmediate`) and go as one
   * frame. Absent: every frame goes as soon as the socket takes it.
   */
  readonly batchMs?: number;
  /** Largest frame a batch may grow to, in UTF-8 bytes; default `BRIDGE_MAX_FRAME` (1 MiB). */
  readonly maxFrameBytes?: number;
}

interface Entry {
  frame: BridgeServerFrame;
  /** The JSON text of a frame that is never merged, serialized when it was queued. */
  text?: string;
  bytes: number;
}

/** stream_data of one (instance, stream) being batched. */
interface Batch {
  readonly instance: string;
  /** A copy owned by this outbox (the event object is shared by all clients). */
  readonly frame: BridgeServerFrame;
  readonly view: StreamDataView;
  /** Upper bound of the frame's JSON size in UTF-8 bytes. */
  bytes: number;
}

/** Counters of one outbox, for logs, tests and benchmarks. */
export interface OutboxStats {
  /** Frames written to the socket. */
  sent: number;
  /** stream_data events merged into an earlier one (by batching or behind a slow socket). */
  coalesced: number;
  /** Frames that could not be serialized or were over the frame cap, replaced by an error. */
  unsendable: number;
  queuedBytes: number;
}

/** Rough size of the JSON of a stream_data event around its chunk. */
const STREAM_FRAME_OVERHEAD = 256;

/**
 * The per-client send queue, in two stages.
 *
 * 1. Batching (with `batchMs`): a `stream_data` event waits up to one tick in a per-(instance,
 *    stream) batch; the chunks that follow are appended (the later `seq`/`is_final` kept). Any
 *    other frame of that instance first releases the instance's batches, and a frame of no
 *    instance (result, hello, error) releases all of them, so every frame keeps its order relative
 *    to the stream data before it; a result waits for nothing. A batch that would pass the frame
 *    size cap is released first and a new one started.
 * 2. Flow control: frames go straight to the socket while it keeps up. Once the socket's
 *    `bufferedAmount` passes the high-water mark, frames wait here in order; a `stream_data`
 *    event that follows a waiting `stream_data` of the same stream is merged into it, so a slow
 *    browser gets fewer, larger frames and loses nothing. Every other frame is kept as is. When
 *    the waiting bytes exceed the cap, `onOverflow` is called once and the outbox stops.
 */
export class Outbox {
  readonly stats: OutboxStats = { sent: 0, coalesced: 0, unsendable: 0, queuedBytes: 0 };
  private readonly queue: Entry[] = [];
  /** Open batches in the order their first chunk arrived; key `instance \0 stream`. */
  private readonly batches = new Map<string, Batch>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private batchTimer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private stopped = false;
  private readonly maxFrameBytes: number;

  constructor(
    private readonly socket: OutboxSocket,
    private readonly limits: OutboxLimits,
    private readonly onOverflow: (queuedBytes: number) => void,
  ) {
    this.maxFrameBytes = limits.maxFrameBytes ?? BRIDGE_MAX_FRAME;
  }

  /** Send a frame now, or batch, queue (and maybe coalesce) it. */
  push(frame: BridgeServerFrame): void {
    if (this.stopped) return;
    if (this.limits.batchMs !== undefined) {
      const data = streamData(frame);
      if (data) {
        this.hold(frame, data);
        return;
      }
      if (this.batches.size > 0) this.release(instanceOf(frame));
    }
    this.enqueue(frame);
  }

  /** Drop everything waiting and stop sending (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.batches.clear();
    this.stats.queuedBytes = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.clearBatchTimer();
  }

  /** Add a stream_data event to its batch. */
  private hold(frame: BridgeServerFrame, data: StreamDataView): void {
    const key = `${data.instance}\u0000${data.data.stream_id}`;
    const chunkBytes = jsonStringBytes(data.data.chunk);
    const open = this.batches.get(key);
    if (open && !open.view.data.is_final && open.bytes + chunkBytes <= this.maxFrameBytes) {
      open.view.data.chunk += data.data.chunk;
      open.view.data.seq = data.data.seq;
      open.view.data.is_final = data.data.is_final;
      open.bytes += chunkBytes;
      this.stats.coalesced++;
    } else {
      // Full or final: everything batched for this instance goes first, in order.
      if (open) this.release(data.instance);
      const copy = copyStreamFrame(frame);
      const view = streamData(copy)!;
      // Exact for this first chunk, plus room for a longer seq and `true` for is_final.
      const bytes = Buffer.byteLength(JSON.stringify(copy)) + 24;
      this.batches.set(key, { instance: data.instance, frame: copy, view, bytes });
    }
    if (this.batchTimer === undefined) {
      const ms = this.limits.batchMs ?? 0;
      this.batchTimer =
        ms <= 0 ? setImmediate(() => this.flushBatches()) : setTimeout(() => this.flushBatches(), ms);
    }
  }

  private flushBatches(): void {
    this.batchTimer = undefined;
    this.release(undefined);
  }

  /** Pass the batches of one instance (or all, for `undefined`) on, in the order they opened. */
  private release(instance: string | undefined): void {
    for (const [key, batch] of this.batches) {
      if (instance !== undefined && batch.instance !== instance) continue;
      this.batches.delete(key);
      this.enqueue(batch.frame);
      if (this.stopped) return;
    }
    if (this.batches.size === 0) this.clearBatchTimer();
  }

  private clearBatchTimer(): void {
    if (this.batchTimer === undefined) return;
    clearTimeout(this.batchTimer as ReturnType<typeof setTimeout>);
    clearImmediate(this.batchTimer as ReturnType<typeof setImmediate>);
    this.batchTimer = undefined;
  }

  /** Send a frame now, or queue (and maybe coalesce) it behind a slow socket. */
  private enqueue(frame: BridgeServerFrame): void {
    if (this.queue.length === 0 && this.socket.bufferedAmount <= this.limits.highWaterBytes) {
      this.write(frame);
      return;
    }
    if (!this.merge(frame)) {
      const chunk = streamData(frame)?.data.chunk;
      if (chunk === undefined) {
        // Serialized once, now: the queue then holds its real size, and a frame that cannot be
        // sent is replaced here already.
        const sendable = serialize(frame, this.maxFrameBytes);
        const text =
          'text' in sendable ? sendable.text : JSON.stringify(unsendableReply(frame, sendable.problem));
        if ('problem' in sendable) this.stats.unsendable++;
        this.queue.push({ frame, text, bytes: text.length });
        this.stats.queuedBytes += text.length;
      } else {
        const bytes = jsonStringBytes(chunk) + STREAM_FRAME_OVERHEAD;
        // Stream frames are merged in place later, and the event object is shared by all clients.
        this.queue.push({ frame: copyStreamFrame(frame), bytes });
        this.stats.queuedBytes += bytes;
      }
    }
    if (this.stats.queuedBytes > this.limits.maxQueuedBytes) {
      const queued = this.stats.queuedBytes;
      this.stop();
      this.onOverflow(queued);
      return;
    }
    this.schedule();
  }

  private merge(frame: BridgeServerFrame): boolean {
    const last = this.queue.at(-1);
    const next = streamData(frame);
    const prev = last && streamData(last.frame);
    if (!last || !next || !prev) return false;
    if (prev.instance !== next.instance || prev.data.stream_id !== next.data.stream_id) return false;
    if (prev.data.is_final) return false;
    const bytes = jsonStringBytes(next.data.chunk);
    if (last.bytes + bytes > this.maxFrameBytes) return false;
    prev.data.chunk += next.data.chunk;
    prev.data.seq = next.data.seq;
    prev.data.is_final = next.data.is_final;
    last.bytes += bytes;
    this.stats.queuedBytes += bytes;
    this.stats.coalesced++;
    return true;
  }

  private flush(): void {
    this.timer = undefined;
    while (
      !this.stopped &&
      this.queue.length > 0 &&
      this.socket.bufferedAmount <= this.limits.highWaterBytes
    ) {
      const entry = this.queue.shift()!;
      this.stats.queuedBytes -= entry.bytes;
      this.write(entry.frame, entry.text);
    }
    if (this.queue.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer === undefined && !this.stopped)
      this.timer = setTimeout(() => this.flush(), this.limits.retryMs ?? 5);
  }

  /**
   * Serialize and send one frame. Never throws: a frame that cannot be serialized (too deep, a
   * cycle, a BigInt) or is over the frame cap is replaced by a small frame that fails only that
   * frame's own request (`result ok:false`) or, for a hello or an event, reports it (`error`).
   */
  private write(frame: BridgeServerFrame, text?: string): void {
    const sendable = text === undefined ? serialize(frame, this.maxFrameBytes) : { text };
    if ('problem' in sendable && sendable.problem.code === 'PAYLOAD_TOO_LARGE') {
      const pieces = splitStreamFrame(frame, this.maxFrameBytes);
      if (pieces !== undefined) {
        for (const piece of pieces) this.write(piece);
        return;
      }
    }
    if ('problem' in sendable) {
      this.stats.unsendable++;
      this.send(JSON.stringify(unsendableReply(frame, sendable.problem)));
      return;
    }
    this.send(sendable.text);
  }

  private send(text: string): void {
    this.stats.sent++;
    try {
      this.socket.send(text);
    } catch {
      // The socket is closing; its close handler stops this outbox.
    }
  }
}

/** A frame's JSON text when it can be sent, else why not (with the PAYLOAD_TOO_LARGE or INTERNAL code). */
export function serialize(
  frame: BridgeServerFrame,
  maxFrameBytes: number,
): { text: string } | { problem: ErrorInfo } {
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { problem: { code: 'INTERNAL', message: `${describe(frame)} could not be serialized: ${why}` } };
  }
  // A string of n UTF-16 units is at most 3n UTF-8 bytes: only long ones need measuring.
  const bytes = text.length * 3 <= maxFrameBytes ? text.length : Buffer.byteLength(text);
  if (bytes > maxFrameBytes)
    return {
      problem: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `${describe(frame)} is ${bytes} bytes, over the ${maxFrameBytes}-byte frame cap (limit bridgeMaxFrameBytes).`,
        detail: { limit: 'bridgeMaxFrameBytes', bytes },
      },
    };
  return { text };
}

/** What replaces a frame that cannot be sent: the request's own failure, or an error frame. */
function unsendableReply(frame: BridgeServerFrame, error: ErrorInfo): BridgeServerFrame {
  return frame.type === 'result'
    ? { type: 'result', id: frame.id, ok: false, error }
    : { type: 'error', error };
}

/** Names a frame in an error message without serializing it. */
function describe(frame: BridgeServerFrame): string {
  switch (frame.type) {
    case 'result':
      return `The result of request ${frame.id}`;
    case 'event':
      return `The ${frame.event.event} event of instance "${String(frame.event.payload.instance_id)}"`;
    default:
      return `The ${frame.type} frame`;
  }
}

interface StreamDataView {
  instance: string;
  data: { stream_id: string; chunk: string; is_final: boolean; seq: number };
}

function streamData(frame: BridgeServerFrame): StreamDataView | undefined {
  if (frame.type !== 'event' || frame.event.event !== 'plugin-stream') return undefined;
  const p = frame.event.payload;
  return p.type === 'stream_data' ? { instance: p.instance_id, data: p.data } : undefined;
}

/** The instance an event frame belongs to; `undefined` for hello, result and error frames. */
function instanceOf(frame: BridgeServerFrame): string | undefined {
  return frame.type === 'event' ? frame.event.payload.instance_id : undefined;
}

function copyStreamFrame(frame: BridgeServerFrame): BridgeServerFrame {
  if (frame.type !== 'event' || frame.event.event !== 'plugin-stream') return frame;
  const payload = frame.event.payload;
  if (payload.type !== 'stream_data') return frame;
  return {
    type: 'event',
    event: { event: 'plugin-stream', payload: { ...payload, data: { ...payload.data } } },
  };
}

/** Plain printable ASCII without `"` or `\`: its JSON is itself, one byte per character. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** UTF-8 size of a string's JSON form, without the quotes. */
export function jsonStringBytes(s: string): number {
  return PLAIN.test(s) ? s.length : Buffer.byteLength(JSON.stringify(s)) - 2;
}

/**
 * A stream_data frame whose single chunk is over the frame cap, cut into frames that each fit
 * (only the last keeps `is_final`); `undefined` for any other frame.
 */
function splitStreamFrame(frame: BridgeServerFrame, maxFrameBytes: number): BridgeServerFrame[] | undefined {
  const view = streamData(frame);
  if (view === undefined) return undefined;
  const empty = copyStreamFrame(frame);
  streamData(empty)!.data.chunk = '';
  // Every UTF-16 unit is at most 6 bytes of JSON (`\uXXXX`), so pieces of this many units fit.
  const units = Math.floor((maxFrameBytes - Buffer.byteLength(JSON.stringify(empty))) / 6);
  if (units < 2) return undefined;
  const chunk = view.data.chunk;
  const out: BridgeServerFrame[] = [];
  for (let start = 0; start < chunk.length; ) {
    let end = Math.min(start + units, chunk.length);
    const last = chunk.charCodeAt(end - 1);
    if (end < chunk.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
    const piece = copyStreamFrame(frame);
    const data = streamData(piece)!.data;
    data.chunk = chunk.slice(start, end);
    data.is_final = view.data.is_final && end === chunk.length;
    out.push(piece);
    start = end;
  }
  return out;
}
