import { realpath, stat } from 'node:fs/promises';
import { type CrashPolicy, CrashWindow } from './crash-window.js';

/**
 * The identity crashes are counted under: one plugin library in one version, i.e. the library's
 * real path with the size and modification time of the file. A rebuilt or upgraded library is a
 * new version and starts with a clean record; every load of the same file shares one.
 */
export async function libraryIdentity(path: string): Promise<string> {
  try {
    const real = await realpath(path);
    const s = await stat(real);
    return `${real}#${s.size}#${Math.trunc(s.mtimeMs)}`;
  } catch {
    return path;
  }
}

/**
 * Crash counts of every library a driver has run, kept across instances, loads and processes:
 * a plugin that aborts in `on_mount` crashes a fresh process on every load, and only a count that
 * outlives the process can reach the limit. After the plugin is disabled its record is cleared,
 * so an explicit new load (the host's `reload`) starts afresh.
 */
export class CrashLedger {
  readonly #policy: CrashPolicy;
  readonly #windows = new Map<string, CrashWindow>();

  constructor(policy: CrashPolicy) {
    this.#policy = policy;
  }

  /** Record a crash of `identity` at `now`; returns the crashes inside the window, this one included. */
  record(identity: string, now: number): number {
    let window = this.#windows.get(identity);
    if (window === undefined) {
      window = new CrashWindow(this.#policy);
      this.#windows.set(identity, window);
    }
    return window.record(now);
  }

  /** True when `count` crashes mean the plugin must be disabled. */
  exhausted(count: number): boolean {
    return count >= this.#policy.maxCrashes;
  }

  /** Forget the record of `identity` (it was disabled; the next load starts afresh). */
  clear(identity: string): void {
    this.#windows.delete(identity);
  }
}
