/** What a secret value is shown as. */
export const REDACTED = '••••• (redacted)';

/** Key names that hold secrets whatever the plugin declares. */
const SECRET_NAME = /secret|passw(or)?d|passwd|token|api[-_]?key|apikey|credential|private[-_]?key/i;

/** True when a key names a secret: declared `secret` by a plugin, or named like one. */
export function isSecretKey(key: string, declared: ReadonlySet<string>): boolean {
  return declared.has(key) || SECRET_NAME.test(key);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Add the keys of every setting declared `secret` in `plugins[].settings` found anywhere in `value`. */
export function collectSecretKeys(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectSecretKeys(v, into);
    return;
  }
  if (!isRecord(value)) return;
  const settings = value.settings;
  if (isRecord(settings) && typeof value.id === 'string')
    for (const [key, spec] of Object.entries(settings))
      if (isRecord(spec) && spec.secret === true) into.add(key);
  for (const v of Object.values(value)) collectSecretKeys(v, into);
}

/** The host's `{ secret: 'set' | 'unset' }` stand-in for a secret: safe to show as it is. */
function isMarker(v: unknown): boolean {
  return isRecord(v) && Object.keys(v).length === 1 && (v.secret === 'set' || v.secret === 'unset');
}

function hidden(v: unknown): unknown {
  return v === null || v === '' || typeof v === 'boolean' ? v : REDACTED;
}

/**
 * A copy of `value` with every secret replaced by {@link REDACTED}: values under secret keys,
 * and `value` next to a secret `key` (as `set_app_config` sends it). Setting specs (objects with
 * a `type`) are kept, so a declared default is still hidden but the declaration stays readable.
 */
export function redactValue(value: unknown, declared: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, declared));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const keyIsSecret = typeof value.key === 'string' && isSecretKey(value.key, declared);
  for (const [k, v] of Object.entries(value)) {
    if (isMarker(v)) out[k] = v;
    else if (k === 'value' && keyIsSecret) out[k] = hidden(v);
    else if (isSecretKey(k, declared) && !isRecord(v) && !Array.isArray(v)) out[k] = hidden(v);
    else if (isSecretKey(k, declared) && isRecord(v) && typeof v.type === 'string')
      out[k] = Object.hasOwn(v, 'default') ? { ...v, default: hidden(v.default) } : v;
    else out[k] = redactValue(v, declared);
  }
  return out;
}
