import type { PluginEvent } from '../types.js';
import type { EventBatch } from './ipc-protocol.js';

/**
 * Collects plugin events inside the child and sends them to the parent in batches: at the end of
 * the current event-loop turn, before every call result (so events a call caused arrive before its
 * answer), and whenever a batch reaches `maxBatchEvents`. Order per instance is kept.
 */
export class EventOutbox {
  maxBatchEvents = 512;
  readonly #sink: (batches: EventBatch[]) => void;
  #batches: { instanceId: string; events: PluginEvent[] }[] = [];
  #count = 0;
  #scheduled = false;

  constructor(sink: (batches: EventBatch[]) => void) {
    this.#sink = sink;
  }

  push(instanceId: string, events: readonly PluginEvent[]): void {
    for (const event of events) {
      const last = this.#batches.at(-1);
      if (last?.instanceId === instanceId) last.events.push(event);
      else this.#batches.push({ instanceId, events: [event] });
      if (++this.#count >= this.maxBatchEvents) this.flush();
    }
    if (!this.#scheduled && this.#count > 0) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Send everything collected so far. */
  flush(): void {
    if (this.#count === 0) return;
    const batches = this.#batches;
    this.#batches = [];
    this.#count = 0;
    this.#sink(batches);
  }
}
