/** Reconnect timing: the first delay, the factor it grows by, and the cap. */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly factor?: number;
  readonly maxMs?: number;
}

/** Default reconnect timing: 250 ms, doubling, at most 10 s. */
export const DEFAULT_BACKOFF = { initialMs: 250, factor: 2, maxMs: 10_000 } as const;

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped at `maxMs`. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  const max = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  return Math.min(max, initial * factor ** Math.max(0, attempt));
}
