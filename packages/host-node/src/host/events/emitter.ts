import type { FrontendEvent, FrontendEventName, FrontendEventOf } from '@plugin-interfaces/spec';

/** A listener for one event name, or for every event (`'*'`). */
export type HostListener<N extends FrontendEventName | '*'> = (
  event: N extends FrontendEventName ? FrontendEventOf<N> : FrontendEvent,
) => void;

type AnyListener = (event: FrontendEvent) => void;
const NONE: readonly AnyListener[] = [];

/**
 * A tiny typed event emitter for frontend events. Listeners run synchronously in registration
 * order; a throwing listener is reported through `onListenerError` and never stops the others.
 * Each name keeps an immutable array replaced on `on`/`off`, so an emit walks a snapshot without
 * copying it (a listener added or removed during an emit takes effect from the next one).
 */
export class HostEmitter {
  readonly #listeners = new Map<string, readonly AnyListener[]>();
  #all: readonly AnyListener[] = NONE;
  readonly #onListenerError: (error: unknown, event: FrontendEvent) => void;

  constructor(onListenerError: (error: unknown, event: FrontendEvent) => void) {
    this.#onListenerError = onListenerError;
  }

  on<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): () => void {
    const list = this.#get(name);
    if (!list.includes(listener as AnyListener)) this.#set(name, [...list, listener as AnyListener]);
    return () => this.off(name, listener);
  }

  off<N extends FrontendEventName | '*'>(name: N, listener: HostListener<N>): void {
    const list = this.#get(name);
    if (list.includes(listener as AnyListener))
      this.#set(
        name,
        list.filter((l) => l !== listener),
      );
  }

  /** True when at least one listener would see an event of this name. */
  has(name: FrontendEventName): boolean {
    return this.#all.length > 0 || this.#get(name).length > 0;
  }

  emit(event: FrontendEvent): void {
    const named = this.#listeners.get(event.event);
    if (named !== undefined) this.#run(named, event);
    if (this.#all.length > 0) this.#run(this.#all, event);
  }

  clear(): void {
    this.#listeners.clear();
    this.#all = NONE;
  }

  #run(list: readonly AnyListener[], event: FrontendEvent): void {
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as AnyListener)(event);
      } catch (e) {
        this.#onListenerError(e, event);
      }
    }
  }

  #get(name: string): readonly AnyListener[] {
    return name === '*' ? this.#all : (this.#listeners.get(name) ?? NONE);
  }

  #set(name: string, list: readonly AnyListener[]): void {
    if (name === '*') this.#all = list;
    else if (list.length === 0) this.#listeners.delete(name);
    else this.#listeners.set(name, list);
  }
}
