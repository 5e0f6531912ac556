/**
 * Runs async jobs one after another. Every call into one plugin instance goes through its
 * queue, so the driver never sees overlapping calls on an instance.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #exclusive = false;
  /** Jobs queued or running. */
  #jobs = 0;

  /**
   * Run `job` after every job queued before it; its result or error is passed through. A `frame`
   * job (a re-render: one driver call) lets a synchronous call in between its steps; any other
   * job is `exclusive` while it runs (e.g. set_history then handle_message must stay together).
   */
  run<T>(job: () => Promise<T>, kind: 'exclusive' | 'frame' = 'exclusive'): Promise<T> {
    this.#jobs++;
    const start = async (): Promise<T> => {
      this.#exclusive = kind === 'exclusive';
      try {
        return await job();
      } finally {
        this.#exclusive = false;
        this.#jobs--;
      }
    };
    const result = this.#tail.then(start, start);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** True when no job is queued or running: a synchronous call now keeps every call in order. */
  get idle(): boolean {
    return this.#jobs === 0;
  }

  /**
   * True while an exclusive job has started and not finished (it may be between two driver
   * calls). A synchronous call may go ahead of queued jobs, never into the middle of such a job.
   */
  get exclusive(): boolean {
    return this.#exclusive;
  }
}
