import type { StreamInfo, StreamState } from '@plugin-interfaces/spec';
import { StreamText } from './stream-text.js';

/** The stream credit the host owes a producer: chunks consumed but not yet granted back. */
export interface CreditAccount {
  readonly streamId: string;
  /** The id the driver knows the stream by, when the host shows it under another (see `HostInstance.publicStreamId`). */
  readonly driverId?: string;
  owed: number;
}

/** The host's record of one stream. Its text lives here only; the history entry points at it. */
export interface StreamRecord extends CreditAccount {
  readonly streamId: string;
  readonly title: string | null;
  state: StreamState;
  error: string | null;
  readonly text: StreamText;
  /** False once the stream's history entry was dropped: its bytes no longer count towards history. */
  inHistory: boolean;
  /** Gives one chunk of credit back; made once per stream by the event fan-out (null until then). */
  release: (() => void) | null;
  /** True once a chunk event of this stream passed the full schema check (see `chunk-event.ts`). */
  checked: boolean;
}

/** The transitions a stream event asks for; anything else leaves the stream as it is. */
const NEXT: Readonly<Record<string, { from: readonly StreamState[]; to: StreamState }>> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  cancel: { from: ['active', 'paused'], to: 'cancelled' },
};

/** True while a stream takes chunks. */
export function isOpen(state: StreamState): boolean {
  return state === 'active' || state === 'paused';
}

/** What a chunk did: the record and the change in kept bytes, or why it was not taken. */
export type ChunkResult =
  | { readonly ok: true; readonly record: StreamRecord; readonly grew: number }
  | { readonly ok: false; readonly reason: 'unknown' | 'ended' };

/**
 * The host's view of one instance's streams, indexed by id (a chunk costs O(chunk), whatever the
 * history length). The driver owns the authoritative state machine (and refuses bad transitions
 * from the plugin); this mirror only applies transitions that are valid, so a control the host
 * applied itself and then hears about again from the driver is not reported twice. Ended streams
 * are forgotten together with their history entry.
 */
export class InstanceStreams {
  readonly #streams = new Map<string, StreamRecord>();
  readonly #open = new Set<string>();
  readonly #maxBytes: number;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  start(streamId: string, title: string | null, driverId?: string): StreamRecord {
    const record: StreamRecord = {
      streamId,
      ...(driverId === undefined ? {} : { driverId }),
      title,
      state: 'active',
      error: null,
      text: new StreamText(this.#maxBytes),
      inHistory: true,
      owed: 0,
      release: null,
      checked: false,
    };
    this.#streams.set(streamId, record);
    this.#open.add(streamId);
    return record;
  }

  /** Append a chunk to an open stream (paused streams still take what the plugin had in flight). */
  data(streamId: string, chunk: string): ChunkResult {
    const record = this.takes(streamId);
    if (typeof record === 'string') return { ok: false, reason: record };
    return { ok: true, record, grew: record.text.append(chunk) };
  }

  /** The record of an open stream (one that takes chunks), or why the stream takes none; allocates nothing. */
  takes(streamId: string): StreamRecord | 'unknown' | 'ended' {
    const record = this.#streams.get(streamId);
    if (record === undefined) return 'unknown';
    return isOpen(record.state) ? record : 'ended';
  }

  /** End a stream; undefined when unknown or already ended. */
  end(streamId: string, success: boolean, error: string | null): StreamRecord | undefined {
    const record = this.#streams.get(streamId);
    if (record === undefined || !isOpen(record.state)) return undefined;
    record.state = success ? 'completed' : 'error';
    record.error = success ? null : (error ?? 'stream failed');
    this.#closed(record);
    return record;
  }

  /** Apply pause/resume/cancel; undefined when the transition does not apply (already done). */
  control(streamId: string, control: 'pause' | 'resume' | 'cancel'): StreamRecord | undefined {
    const record = this.#streams.get(streamId);
    const step = NEXT[control];
    if (record === undefined || step === undefined || !step.from.includes(record.state)) return undefined;
    record.state = step.to;
    if (!isOpen(record.state)) this.#closed(record);
    return record;
  }

  get(streamId: string): StreamRecord | undefined {
    return this.#streams.get(streamId);
  }

  has(streamId: string): boolean {
    return this.#streams.has(streamId);
  }

  /** Ids of the streams still open (active or paused), oldest first. */
  openIds(): string[] {
    return [...this.#open];
  }

  /** The history entry of a stream was dropped: forget it once it ended. */
  detach(record: StreamRecord): void {
    record.inHistory = false;
    if (!isOpen(record.state)) this.#streams.delete(record.streamId);
  }

  /** Copies of every stream kept (open, or ended with its history entry), oldest first. */
  list(): StreamInfo[] {
    return [...this.#streams.values()].map(streamInfo);
  }

  /** Restore an ended stream (after a reload); a stream that was live becomes cancelled. */
  restore(info: StreamInfo, droppedBytes: number): StreamRecord {
    const record: StreamRecord = {
      streamId: info.stream_id,
      title: info.title,
      state: isOpen(info.state) ? 'cancelled' : info.state,
      error: info.error,
      text: new StreamText(this.#maxBytes, info.content, droppedBytes),
      inHistory: true,
      owed: 0,
      release: null,
      checked: false,
    };
    record.text.settle();
    this.#streams.set(info.stream_id, record);
    return record;
  }

  #closed(record: StreamRecord): void {
    record.text.settle();
    record.release = null;
    this.#open.delete(record.streamId);
    if (!record.inHistory) this.#streams.delete(record.streamId);
  }
}

/** The StreamInfo view of a record, optionally with only the last `maxBytes` of its text. */
export function streamInfo(record: StreamRecord): StreamInfo {
  const info: StreamInfo = {
    stream_id: record.streamId,
    state: record.state,
    content: record.text.text,
    title: record.title,
    error: record.error,
  };
  if (record.text.droppedBytes > 0) info.dropped_bytes = record.text.droppedBytes;
  return info;
}
