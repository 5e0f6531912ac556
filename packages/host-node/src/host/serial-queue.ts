/**
 * Runs async jobs one after another. Every call into one plugin instance goes through its
 * queue, so the driver never sees overlapping calls on an instance.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Run `job` after every job queued before it; its result or error is passed through. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
