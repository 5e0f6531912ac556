import type { FrontendEvent } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';

/**
 * An `events()` iterator. `dropped` counts events lost to overflow: when the buffer is full the
 * oldest buffered event is dropped (and its stream credit released), so a stalled consumer never
 * grows memory without bound. A consumer that sees `dropped` grow should resync from `snapshot()`.
 */
export interface HostEventIterator extends AsyncIterableIterator<FrontendEvent> {
  readonly dropped: number;
}

/** Options of `host.events()`. */
export interface EventIteratorOptions {
  /** Events buffered for this iterator before the oldest is dropped (default from `limits.eventBuffer`). */
  readonly bufferSize?: number;
  /** Ends the iterator when aborted. */
  readonly signal?: AbortSignal;
}

type Release = (() => void) | undefined;
const DONE: IteratorResult<FrontendEvent> = Object.freeze({ value: undefined, done: true });

/**
 * The buffer behind one `events()` iterator; the host pushes, the consumer pulls. Events wait in a
 * ring (two parallel arrays, grown by doubling up to `size`), so pushing and taking allocate no
 * per-event record.
 */
export class EventBuffer implements HostEventIterator {
  readonly #size: number;
  #events: (FrontendEvent | undefined)[] = new Array(8);
  #releases: Release[] = new Array(8);
  #head = 0;
  #count = 0;
  readonly #onEnd: (self: EventBuffer) => void;
  readonly #onEmpty: (() => void) | undefined;
  #waiter: ((r: IteratorResult<FrontendEvent>) => void) | null = null;
  #done = false;
  dropped = 0;

  /**
   * `onEnd` runs once when the iterator ends; `onEmpty` (optional) whenever the consumer took the
   * last buffered event and when the iterator ends (the host grants the stream credit the taken
   * events owe at that point, in one batch; releases during a push happen inside the host's event
   * batch, which grants at its end).
   */
  constructor(size: number, onEnd: (self: EventBuffer) => void, signal?: AbortSignal, onEmpty?: () => void) {
    if (!Number.isInteger(size) || size < 1)
      throw new HostError('INTERNAL', `events(): bufferSize must be a positive integer, got ${size}.`);
    this.#size = size;
    this.#onEnd = onEnd;
    this.#onEmpty = onEmpty;
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  /** Hand one event to this iterator; `release` runs once the consumer took it (or it was dropped). */
  push(event: FrontendEvent, release?: () => void): void {
    if (this.#done) {
      release?.();
      return;
    }
    if (this.#waiter !== null) {
      const w = this.#waiter;
      this.#waiter = null;
      w({ value: event, done: false });
      release?.();
      return;
    }
    if (this.#count >= this.#size) {
      this.#take()?.();
      this.dropped++;
    }
    if (this.#count === this.#events.length) this.#grow();
    const at = (this.#head + this.#count) % this.#events.length;
    this.#events[at] = event;
    this.#releases[at] = release;
    this.#count++;
  }

  /** Stop: release everything buffered and finish a waiting `next()`. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    while (this.#count > 0) this.#take()?.();
    this.#onEmpty?.();
    this.#waiter?.(DONE);
    this.#waiter = null;
    this.#onEnd(this);
  }

  next(): Promise<IteratorResult<FrontendEvent>> {
    if (this.#count > 0) {
      const event = this.#events[this.#head] as FrontendEvent;
      this.#take()?.();
      if (this.#count === 0) this.#onEmpty?.();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.#done) return Promise.resolve(DONE);
    if (this.#waiter !== null)
      return Promise.reject(new HostError('INTERNAL', 'events(): next() called while another next() waits.'));
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<FrontendEvent>> {
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): HostEventIterator {
    return this;
  }

  /** Remove the oldest buffered event (there is one) and return its release for the caller to run. */
  #take(): Release {
    const at = this.#head;
    const release = this.#releases[at];
    this.#events[at] = undefined;
    this.#releases[at] = undefined;
    this.#head = (at + 1) % this.#events.length;
    this.#count--;
    return release;
  }

  /** Double the ring (up to the buffer size), keeping the order. */
  #grow(): void {
    const cap = Math.min(this.#size, this.#events.length * 2);
    const events: (FrontendEvent | undefined)[] = new Array(cap);
    const releases: Release[] = new Array(cap);
    for (let i = 0; i < this.#count; i++) {
      const from = (this.#head + i) % this.#events.length;
      events[i] = this.#events[from];
      releases[i] = this.#releases[from];
    }
    this.#events = events;
    this.#releases = releases;
    this.#head = 0;
  }
}
