import type { RequestAnswer } from '../driver/types.js';

/**
 * The answer to an inter-plugin call that has passed every check but is not delivered yet.
 * Delivery starts only when someone asks for the result: `then` with a fulfilment handler (as
 * `await`, `finally` and a driver waiting for the answer do). A driver that cannot wait (a call
 * made on the event-loop thread inside an entry point) drops it, attaching at most a rejection
 * handler (`catch`), and the target never receives anything.
 */
export class DeferredAnswer extends Promise<RequestAnswer> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #deliver: (() => Promise<RequestAnswer>) | null;
  #settle: ((answer: Promise<RequestAnswer>) => void) | null = null;

  constructor(deliver: () => Promise<RequestAnswer>) {
    let settle!: (answer: Promise<RequestAnswer>) => void;
    super((resolve) => {
      settle = resolve;
    });
    this.#settle = settle;
    this.#deliver = deliver;
  }

  /** True once delivery started. */
  get started(): boolean {
    return this.#deliver === null;
  }

  // biome-ignore lint/suspicious/noThenProperty: a lazy promise is the point (delivery starts on then).
  override then<A = RequestAnswer, B = never>(
    onFulfilled?: ((value: RequestAnswer) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    if (onFulfilled !== undefined && onFulfilled !== null && this.#deliver !== null) {
      const deliver = this.#deliver;
      this.#deliver = null;
      this.#settle?.(deliver());
      this.#settle = null;
    }
    return super.then(onFulfilled, onRejected);
  }
}
