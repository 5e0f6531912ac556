import type { FrontendEvent, FrontendEventName, FrontendEventOf } from '@plugin-interfaces/spec';

/** A listener for one event name, or for every event (`'*'`). */
export type HostListener<N extends FrontendEventName | '*'> = (
  event: N extends FrontendEventName ? FrontendEventOf<N> : FrontendEvent,
) => void;

type AnyListener = (event: FrontendEvent) => void;

/**
 * A tiny typed event emitter for frontend events. Listeners run synchronously in registration
 * order; a throwing listener is reported through `onListenerError` and never stops the others.
 */
export class HostEmitter {
  readonly #listeners = new Map<string, Set<AnyListener>>();
  readonly #onListenerError: (error: unknown, event: FrontendEvent) => void;

  constructor(onListenerError: (error: unknown, event: FrontendEvent) => void) {
    this.#onListenerError = onListenerError;
  }

  on<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as AnyListener);
    return () => this.off(name, listener);
  }

  off<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): void {
    this.#listeners.get(name)?.delete(listener as AnyListener);
  }

  emit(event: FrontendEvent): void {
    for (const name of [event.event, '*']) {
      const set = this.#listeners.get(name);
      if (set === undefined) continue;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (e) {
          this.#onListenerError(e, event);
        }
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
