import type { StreamInfo, StreamState } from '@plugin-interfaces/spec';

interface StreamRecord {
  info: StreamInfo;
  readonly historyId: string;
  seq: number;
}

/** The transitions a stream event asks for; anything else leaves the stream as it is. */
const NEXT: Readonly<Record<string, { from: readonly StreamState[]; to: StreamState }>> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  cancel: { from: ['active', 'paused'], to: 'cancelled' },
};

/**
 * The host's view of one instance's streams, for snapshots and history. The driver owns the
 * authoritative state machine (and refuses bad transitions from the plugin); this mirror only
 * applies transitions that are valid, so a control the host applied itself and then hears
 * about again from the driver is not reported twice.
 */
export class InstanceStreams {
  readonly #streams = new Map<string, StreamRecord>();

  start(streamId: string, title: string | null, historyId: string): StreamInfo {
    const info: StreamInfo = { stream_id: streamId, state: 'active', content: '', title, error: null };
    this.#streams.set(streamId, { info, historyId, seq: 0 });
    return info;
  }

  /** Append a chunk; returns the record (for history) or undefined for an unknown/ended stream. */
  data(streamId: string, chunk: string): { info: StreamInfo; historyId: string } | undefined {
    const record = this.#streams.get(streamId);
    if (record === undefined || (record.info.state !== 'active' && record.info.state !== 'paused'))
      return undefined;
    record.info.content += chunk;
    record.seq++;
    return record;
  }

  /** End a stream; undefined when unknown or already ended. */
  end(
    streamId: string,
    success: boolean,
    error: string | null,
  ): { info: StreamInfo; historyId: string } | undefined {
    const record = this.#streams.get(streamId);
    if (record === undefined || (record.info.state !== 'active' && record.info.state !== 'paused'))
      return undefined;
    record.info.state = success ? 'completed' : 'error';
    record.info.error = success ? null : (error ?? 'stream failed');
    return record;
  }

  /** Apply pause/resume/cancel; undefined when the transition does not apply (already done). */
  control(
    streamId: string,
    control: 'pause' | 'resume' | 'cancel',
  ): { info: StreamInfo; historyId: string } | undefined {
    const record = this.#streams.get(streamId);
    const step = NEXT[control];
    if (record === undefined || step === undefined || !step.from.includes(record.info.state))
      return undefined;
    record.info.state = step.to;
    return record;
  }

  has(streamId: string): boolean {
    return this.#streams.has(streamId);
  }

  /** Copies of every stream this instance opened, oldest first. */
  list(): StreamInfo[] {
    return [...this.#streams.values()].map((r) => ({ ...r.info }));
  }

  /** Restore streams (after a reload) as ended records; live ones become cancelled. */
  restore(streams: readonly StreamInfo[]): void {
    for (const s of streams) {
      const state: StreamState = s.state === 'active' || s.state === 'paused' ? 'cancelled' : s.state;
      this.#streams.set(s.stream_id, { info: { ...s, state }, historyId: '', seq: 0 });
    }
  }
}
