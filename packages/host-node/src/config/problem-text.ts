import { PLATFORM_KEY_PATTERN } from '@plugin-interfaces/spec';

const KIND = /^Expected (string|number|integer|boolean|object|array)$/;

/** Rewrite a TypeBox error message into the "must ..." phrasing used in config.toml problems. */
export function humanizeSchemaMessage(key: string, message: string): string {
  if (message === 'Expected required property') return 'is required but missing';
  const kind = KIND.exec(message)?.[1];
  if (kind !== undefined) return `must be ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
  const pattern = /^Expected string to match '(.*)'$/.exec(message)?.[1];
  if (pattern !== undefined) {
    if (key === 'plugin.version') return `must be a semantic version like 1.2.0 (pattern ${pattern})`;
    if (key === 'plugin.abi') return `must be "<major>.<minor>" like "1.0" (pattern ${pattern})`;
    if (/^(checksums\.|download\..*\.checksum$)/.test(key)) return 'must be a SHA-256 of 64 hex digits';
    return `must match ${pattern}`;
  }
  if (message === 'Expected union value' && key.startsWith('settings.')) {
    return 'must be a setting table with type = "string" | "number" | "integer" | "boolean" | "select" and only the keys that type allows';
  }
  return message.replace(/^Expected /, 'must be ');
}

const PLATFORM = new RegExp(PLATFORM_KEY_PATTERN);
const SETTING_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Keys of `[checksums]`, `[download.*]` and `[settings.*]` that the schema's records do not
 * reject on their own (a typo such as `linux-x86` would otherwise be silently ignored).
 * Returns JSON pointers with messages, in the validator's `pointer: message` form.
 */
export function recordKeyProblems(value: unknown): string[] {
  const out: string[] = [];
  const root = asTable(value);
  if (root === undefined) return out;
  const platformHint =
    'is not a known platform key: use linux, macos or windows, optionally with -x64 or -arm64';
  for (const table of ['checksums', 'download'] as const) {
    for (const key of Object.keys(asTable(root[table]) ?? {})) {
      if (!PLATFORM.test(key)) out.push(`/${table}/${escapePointer(key)}: ${platformHint}`);
    }
  }
  for (const key of Object.keys(asTable(root.settings) ?? {})) {
    if (!SETTING_KEY.test(key)) {
      out.push(
        `/settings/${escapePointer(key)}: is not a valid setting key: use a-z, 0-9 and '_', starting with a letter`,
      );
    }
  }
  return out;
}

function asTable(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
