import { ChildConnection, type ConnectionBinding, type SpawnConfig } from './connection.js';
import { StartQueue } from './start-queue.js';

/**
 * Starts plugin processes for one driver, at most `maxConcurrentStarts` at a time (the rest queue,
 * and their start deadline runs only once they start), and keeps one spare process warm (started,
 * handshaken, driver loaded), so a restart after a crash skips Node's start-up and costs only the
 * library load and the instance re-creation. The spare is refilled shortly after it is taken.
 */
export class ProcessPool {
  readonly #config: SpawnConfig;
  readonly #warm: boolean;
  readonly #queue: StartQueue;
  #spare: Promise<ChildConnection> | null = null;
  #closed = false;

  constructor(config: SpawnConfig, warmSpare: boolean, maxConcurrentStarts: number) {
    this.#config = config;
    this.#warm = warmSpare;
    this.#queue = new StartQueue(maxConcurrentStarts);
  }

  /** The start queue (diagnostics and tests: how many starts run and wait). */
  get starts(): StartQueue {
    return this.#queue;
  }

  #start(binding?: ConnectionBinding): Promise<ChildConnection> {
    return this.#queue.run(() => ChildConnection.start(this.#config, binding));
  }

  /** A running process bound to `binding`: the spare when it is alive, else a new one. */
  async take(binding: ConnectionBinding): Promise<ChildConnection> {
    let conn: ChildConnection | null = null;
    const spare = this.#spare;
    this.#spare = null;
    if (spare) conn = await spare.catch(() => null);
    if (conn && !conn.alive) conn = null;
    conn ??= await this.#start(binding);
    conn.bind(binding);
    this.#refillSoon();
    return conn;
  }

  #refillSoon(): void {
    if (!this.#warm || this.#closed) return;
    setTimeout(() => {
      if (this.#closed || this.#spare) return;
      this.#spare = this.#start();
      this.#spare.catch(() => undefined);
    }, 150).unref();
  }

  /** Start the spare now (the first library load warms it). */
  prewarm(): void {
    if (this.#warm && !this.#closed && !this.#spare) {
      this.#spare = this.#start();
      this.#spare.catch(() => undefined);
    }
  }

  /** End the spare process. */
  async close(): Promise<void> {
    this.#closed = true;
    const spare = this.#spare;
    this.#spare = null;
    const conn = spare ? await spare.catch(() => null) : null;
    await conn?.shutdown(500);
  }
}
