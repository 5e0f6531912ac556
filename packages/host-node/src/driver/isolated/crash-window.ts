import { LIMITS } from '@plugin-interfaces/spec';

/**
 * Counts crashes inside a sliding time window; the supervisor disables a plugin once the count
 * reaches the limit (`LIMITS.maxCrashesPerLibrary` crashes in `LIMITS.crashWindowMs`: 3 in 5 minutes).
 */
export interface CrashPolicy {
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = {
  maxCrashes: LIMITS.maxCrashesPerLibrary,
  windowMs: LIMITS.crashWindowMs,
};

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
