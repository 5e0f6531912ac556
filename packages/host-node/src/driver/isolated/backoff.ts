/**
 * Restart delays for a crashed plugin process: `baseMs` after the first crash in the window,
 * doubling per further crash, never more than `maxMs` (100 ms → 200 → 400 … → 2 s by default).
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 2000, factor: 2 };

/** Delay before the restart that follows the `crashCount`-th crash (1-based). */
export function backoffDelay(policy: BackoffPolicy, crashCount: number): number {
  const exp = Math.max(0, crashCount - 1);
  return Math.min(policy.maxMs, Math.round(policy.baseMs * policy.factor ** exp));
}
