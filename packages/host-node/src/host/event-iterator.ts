import type { FrontendEvent } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';

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

interface Buffered {
  readonly event: FrontendEvent;
  readonly release: (() => void) | undefined;
}

/** The buffer behind one `events()` iterator; the host pushes, the consumer pulls. */
export class EventBuffer implements HostEventIterator {
  readonly #size: number;
  readonly #items: Buffered[] = [];
  readonly #onEnd: (self: EventBuffer) => void;
  #waiter: ((r: IteratorResult<FrontendEvent>) => void) | null = null;
  #done = false;
  dropped = 0;

  constructor(size: number, onEnd: (self: EventBuffer) => void, signal?: AbortSignal) {
    if (!Number.isInteger(size) || size < 1)
      throw new HostError('INTERNAL', `events(): bufferSize must be a positive integer, got ${size}.`);
    this.#size = size;
    this.#onEnd = onEnd;
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
    if (this.#items.length >= this.#size) {
      this.#items.shift()?.release?.();
      this.dropped++;
    }
    this.#items.push({ event, release });
  }

  /** Stop: release everything buffered and finish a waiting `next()`. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    for (const item of this.#items.splice(0)) item.release?.();
    this.#waiter?.({ value: undefined, done: true });
    this.#waiter = null;
    this.#onEnd(this);
  }

  next(): Promise<IteratorResult<FrontendEvent>> {
    const item = this.#items.shift();
    if (item !== undefined) {
      item.release?.();
      return Promise.resolve({ value: item.event, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter !== null)
      return Promise.reject(new HostError('INTERNAL', 'events(): next() called while another next() waits.'));
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<FrontendEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): HostEventIterator {
    return this;
  }
}
