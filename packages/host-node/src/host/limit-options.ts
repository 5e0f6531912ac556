import { HostError } from '../errors.js';
import { DEFAULT_LIMITS, type HostLimits } from './options.js';

/**
 * The host's limits: the defaults from the spec, overridden by `options.limits`. Each override
 * must be a positive safe integer, and `maxSnapshotBytes` must leave room for at least one
 * small instance view; anything else is refused when the host is created.
 */
export function resolveLimits(overrides: Partial<HostLimits> | undefined): HostLimits {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!Object.hasOwn(DEFAULT_LIMITS, name))
      throw new HostError(
        'INVALID_JSON',
        `limits.${name} is not a host limit (known: ${Object.keys(DEFAULT_LIMITS).join(', ')}).`,
      );
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      throw new HostError('INVALID_JSON', `limits.${name} must be a positive integer, got ${String(value)}.`);
    limits[name] = value;
  }
  return limits as unknown as HostLimits;
}
