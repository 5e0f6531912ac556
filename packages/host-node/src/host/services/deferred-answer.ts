import type { RequestAnswer, SyncAnswer } from '../../driver/types.js';

/**
 * The answer to an inter-plugin call that has passed every check but is not delivered yet.
 * Delivery starts only when someone asks for the result: `then` with a fulfilment handler (as
 * `await`, `finally` and a driver waiting for the answer do). A driver that cannot wait (a call
 * made on the event-loop thread inside an entry point) drops it, attaching at most a rejection
 * handler (`catch`), and the target never receives anything.
 */
export class DeferredAnswer extends Promise<RequestAnswer> implements SyncAnswer {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #deliver: (() => Promise<RequestAnswer>) | null;
  #settle: ((answer: Promise<RequestAnswer>) => void) | null = null;
  readonly #now: (() => RequestAnswer | null) | null;
  /** The instance id the call goes to, when known (a driver refuses a target in the caller's process). */
  readonly target: string | null;

  /**
   * `deliver` starts the asynchronous delivery; `now`, when given, tries a synchronous one and
   * returns null when it cannot (it must then have delivered nothing).
   */
  constructor(
    deliver: () => Promise<RequestAnswer>,
    now: (() => RequestAnswer | null) | null = null,
    target: string | null = null,
  ) {
    let settle!: (answer: Promise<RequestAnswer>) => void;
    super((resolve) => {
      settle = resolve;
    });
    this.#settle = settle;
    this.#deliver = deliver;
    this.#now = now;
    this.target = target;
  }

  /**
   * Deliver synchronously (a caller on the event-loop thread that cannot wait): the answer, or
   * null when the target cannot answer now – then nothing was delivered, and nothing ever will be
   * unless someone waits with `then`.
   */
  tryNow(): RequestAnswer | null {
    if (this.#deliver === null || this.#now === null) return null;
    const answer = this.#now();
    if (answer === null) return null;
    this.#deliver = null;
    this.#settle?.(Promise.resolve(answer));
    this.#settle = null;
    return answer;
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
