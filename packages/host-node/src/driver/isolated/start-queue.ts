/**
 * Bounds how many plugin processes start at once. Starting a Node process costs a few hundred
 * milliseconds of CPU; fifty at once on two cores take longer than any start deadline, so every
 * start waits for a slot (first come, first served) and its deadline runs only once it has one.
 */
export class StartQueue {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** Starts running now (`running`) and waiting for a slot (`waiting`). */
  get running(): number {
    return this.#running;
  }
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Run `start` once a slot is free; the slot is released when it settles. */
  async run<T>(start: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await start();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
