/**
 * Counts crashes inside a sliding time window; the supervisor disables a plugin once the count
 * reaches the limit (3 crashes in 5 minutes by default).
 */
export interface CrashPolicy {
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = { maxCrashes: 3, windowMs: 5 * 60_000 };

export class CrashWindow {
  readonly #policy: CrashPolicy;
  #times: number[] = [];

  constructor(policy: CrashPolicy) {
    this.#policy = policy;
  }

  /** Record a crash at `now`; returns the number of crashes inside the window, this one included. */
  record(now: number): number {
    this.#times = this.#times.filter((t) => now - t < this.#policy.windowMs);
    this.#times.push(now);
    return this.#times.length;
  }

  /** True when `count` crashes mean the plugin must be disabled. */
  exhausted(count: number): boolean {
    return count >= this.#policy.maxCrashes;
  }
}
