/**
 * The pattern matcher of conformance scenarios (see `ConformanceScenario`): subset matching for
 * objects, element-wise for arrays, equality for scalars, and the `$contains`, `$startsWith`,
 * `$endsWith`, `$oneOf`, `$allOf`, `$any` operators. host-rust implements the same rules.
 */

/** The operators a pattern object may use (its only key). */
export const PATTERN_OPERATORS = [
  '$contains',
  '$startsWith',
  '$endsWith',
  '$oneOf',
  '$allOf',
  '$any',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The operator of a pattern object, or null when it is a plain object pattern. */
export function patternOperator(p: unknown): (typeof PATTERN_OPERATORS)[number] | null {
  if (!isObject(p)) return null;
  const keys = Object.keys(p);
  if (keys.length !== 1) return null;
  const k = keys[0] as (typeof PATTERN_OPERATORS)[number];
  return PATTERN_OPERATORS.includes(k) ? k : null;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

/**
 * Match `value` against `pattern`. Returns null when it matches, else where and why it does not
 * (`path` names the position, e.g. `/data/success`).
 */
export function matchPattern(pattern: unknown, value: unknown, path = ''): string | null {
  const op = patternOperator(pattern);
  const at = path || '/';
  if (op !== null) {
    const arg = (pattern as Record<string, unknown>)[op];
    switch (op) {
      case '$any':
        return value === undefined ? `${at}: expected a value, got none` : null;
      case '$oneOf': {
        const options = Array.isArray(arg) ? arg : [];
        return options.some((o) => matchPattern(o, value, path) === null)
          ? null
          : `${at}: ${show(value)} matches none of ${show(options)}`;
      }
      case '$allOf': {
        for (const o of Array.isArray(arg) ? arg : []) {
          const bad = matchPattern(o, value, path);
          if (bad !== null) return bad;
        }
        return null;
      }
      default: {
        if (typeof value !== 'string') return `${at}: expected a string (${op}), got ${show(value)}`;
        const s = String(arg);
        const ok =
          op === '$contains'
            ? value.includes(s)
            : op === '$startsWith'
              ? value.startsWith(s)
              : value.endsWith(s);
        return ok ? null : `${at}: ${show(value)} does not satisfy ${op} ${show(s)}`;
      }
    }
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return `${at}: expected an array, got ${show(value)}`;
    if (value.length !== pattern.length)
      return `${at}: expected ${pattern.length} items, got ${value.length}: ${show(value)}`;
    for (let i = 0; i < pattern.length; i++) {
      const bad = matchPattern(pattern[i], value[i], `${path}/${i}`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (isObject(pattern)) {
    if (!isObject(value)) return `${at}: expected an object, got ${show(value)}`;
    for (const [k, p] of Object.entries(pattern)) {
      const bad = matchPattern(p, value[k], `${path}/${k}`);
      if (bad !== null) return bad;
    }
    return null;
  }
  return pattern === value ? null : `${at}: expected ${show(pattern)}, got ${show(value)}`;
}

/** Replace `${id:<example>}` in a string with the plugin id `resolve(example)`. */
export function substituteIds(text: string, resolve: (example: string) => string): string {
  return text.replace(/\$\{id:([a-z0-9-]+)\}/g, (_, ex: string) => resolve(ex));
}

/** Apply `substituteIds` to every string inside a JSON value. */
export function substituteIdsDeep(value: unknown, resolve: (example: string) => string): unknown {
  if (typeof value === 'string') return substituteIds(value, resolve);
  if (Array.isArray(value)) return value.map((v) => substituteIdsDeep(v, resolve));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIdsDeep(v, resolve)]));
  return value;
}
