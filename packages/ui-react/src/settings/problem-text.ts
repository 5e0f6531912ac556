import type { SettingSpec } from '@plugin-interfaces/spec';

/**
 * A settings problem in the user's words: the setting's label instead of its key, and for a
 * pattern mismatch the expected format (the pattern must match the whole value).
 */
export function problemText(key: string, spec: SettingSpec | undefined, message: string): string {
  const label = spec?.label ?? key;
  const text = message.startsWith(key) ? `${label}${message.slice(key.length)}` : message;
  if (spec?.type === 'string' && spec.pattern !== undefined && / does not match /.test(message))
    return `${text}: the whole value must match ${spec.pattern}`;
  return text;
}
