/**
 * Small structural checks for values that arrive over IPC. Everything the other process sends is
 * `unknown` until one of these (or a guard built from them) accepts it.
 */

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function isNullableString(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

/** A finite integer (JSON numbers only; no NaN, no Infinity). */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isBool(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

/** An array whose every item passes `item`. */
export function isArrayOf<T>(v: unknown, item: (x: unknown) => x is T): v is T[] {
  return Array.isArray(v) && v.every(item);
}

/** One of the given string literals. */
export function isOneOf<const T extends string>(v: unknown, values: readonly T[]): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}
