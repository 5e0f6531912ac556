import { BRIDGE_MAX_FRAME, type BridgeServerFrame } from '@plugin-interfaces/spec';

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
  readonly stats: OutboxStats = { sent: 0, coalesced: 0, queuedBytes: 0 };
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
      const bytes = chunk === undefined ? JSON.stringify(frame).length : jsonStringBytes(chunk);
      // Stream frames are merged in place later, and the event object is shared by all clients.
      this.queue.push({
        frame: chunk === undefined ? frame : copyStreamFrame(frame),
        bytes: bytes + STREAM_FRAME_OVERHEAD,
      });
      this.stats.queuedBytes += bytes + STREAM_FRAME_OVERHEAD;
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
      this.write(entry.frame);
    }
    if (this.queue.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer === undefined && !this.stopped)
      this.timer = setTimeout(() => this.flush(), this.limits.retryMs ?? 5);
  }

  private write(frame: BridgeServerFrame): void {
    this.stats.sent++;
    this.socket.send(JSON.stringify(frame));
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
