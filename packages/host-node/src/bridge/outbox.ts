import type { BridgeServerFrame } from '@plugin-interfaces/spec';

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
}

interface Entry {
  frame: BridgeServerFrame;
  bytes: number;
}

/** Counters of one outbox, for logs, tests and benchmarks. */
export interface OutboxStats {
  sent: number;
  coalesced: number;
  queuedBytes: number;
}

/** Rough size of the JSON of a stream_data event around its chunk. */
const STREAM_FRAME_OVERHEAD = 256;

/**
 * The per-client send queue. Frames go straight to the socket while it keeps up. Once the
 * socket's `bufferedAmount` passes the high-water mark, frames wait here in order; a
 * `stream_data` event that follows a waiting `stream_data` of the same stream is merged into it
 * (chunks concatenated, the later `seq`/`is_final` kept), so a slow browser gets fewer, larger
 * frames and loses nothing. Every other frame is kept as is. When the waiting bytes exceed the
 * cap, `onOverflow` is called once and the outbox stops.
 */
export class Outbox {
  readonly stats: OutboxStats = { sent: 0, coalesced: 0, queuedBytes: 0 };
  private readonly queue: Entry[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly socket: OutboxSocket,
    private readonly limits: OutboxLimits,
    private readonly onOverflow: (queuedBytes: number) => void,
  ) {}

  /** Send a frame now, or queue (and maybe coalesce) it behind a slow socket. */
  push(frame: BridgeServerFrame): void {
    if (this.stopped) return;
    if (this.queue.length === 0 && this.socket.bufferedAmount <= this.limits.highWaterBytes) {
      this.write(frame);
      return;
    }
    if (!this.merge(frame)) {
      const chunk = streamData(frame)?.data.chunk;
      const bytes = chunk?.length ?? JSON.stringify(frame).length;
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

  /** Drop everything waiting and stop sending (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.stats.queuedBytes = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private merge(frame: BridgeServerFrame): boolean {
    const last = this.queue.at(-1);
    const next = streamData(frame);
    const prev = last && streamData(last.frame);
    if (!last || !next || !prev) return false;
    if (prev.instance !== next.instance || prev.data.stream_id !== next.data.stream_id) return false;
    if (prev.data.is_final) return false;
    prev.data.chunk += next.data.chunk;
    prev.data.seq = next.data.seq;
    prev.data.is_final = next.data.is_final;
    last.bytes += next.data.chunk.length;
    this.stats.queuedBytes += next.data.chunk.length;
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

function copyStreamFrame(frame: BridgeServerFrame): BridgeServerFrame {
  if (frame.type !== 'event' || frame.event.event !== 'plugin-stream') return frame;
  const payload = frame.event.payload;
  if (payload.type !== 'stream_data') return frame;
  return {
    type: 'event',
    event: { event: 'plugin-stream', payload: { ...payload, data: { ...payload.data } } },
  };
}
