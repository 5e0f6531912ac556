import type { SettingSpec } from '@plugin-interfaces/spec';

/** What a form control holds: text for inputs and selects, a flag for checkboxes. */
export type RawValue = string | boolean;

/** How a host shows a secret setting instead of its value: whether it is set. */
export interface SecretMarker {
  readonly secret: 'set' | 'unset';
}

/** True for the `{ secret: 'set' | 'unset' }` marker a host sends in place of a secret value. */
export function isSecretMarker(value: unknown): value is SecretMarker {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const secret = (value as { secret?: unknown }).secret;
  return keys.length === 1 && (secret === 'set' || secret === 'unset');
}

/**
 * The secret settings whose value the host has (marker `set`) and the user left empty: they are
 * sent back as the marker, which tells the host to keep the value, and are not validated here.
 */
export function keptSecrets(
  specs: Readonly<Record<string, SettingSpec>>,
  saved: Readonly<Record<string, unknown>>,
  raw: Readonly<Record<string, RawValue>>,
): string[] {
  return Object.keys(specs).filter((key) => {
    const v = saved[key];
    return isSecretMarker(v) && v.secret === 'set' && (raw[key] ?? '') === '';
  });
}

/** The form control value for a setting value (a secret marker shows as an empty field). */
export function toRaw(spec: SettingSpec, value: unknown): RawValue {
  if (spec.type === 'boolean') return value === true;
  if (isSecretMarker(value)) return '';
  return value === undefined || value === null ? '' : String(value);
}

/** The form's raw values for settings, starting from saved values over the declared defaults. */
export function initialRaw(
  specs: Readonly<Record<string, SettingSpec>>,
  values: Readonly<Record<string, unknown>>,
): Record<string, RawValue> {
  const out: Record<string, RawValue> = {};
  for (const [key, spec] of Object.entries(specs)) {
    out[key] = toRaw(spec, Object.hasOwn(values, key) ? values[key] : spec.default);
  }
  return out;
}

/**
 * Typed setting values from the form's raw values. Empty number and select fields are left out
 * (so the declared default applies, or `required` reports them); a non-numeric number is kept as
 * NaN so validation reports it instead of silently dropping it.
 */
export function fromRaw(
  specs: Readonly<Record<string, SettingSpec>>,
  raw: Readonly<Record<string, RawValue>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = raw[key];
    if (value === undefined) continue;
    if (spec.type === 'boolean') out[key] = value === true;
    else if (typeof value !== 'string') continue;
    else if (spec.type === 'number' || spec.type === 'integer') {
      if (value.trim() !== '') out[key] = Number(value);
    } else if (spec.type === 'select') {
      if (value !== '') out[key] = value;
    } else out[key] = value;
  }
  return out;
}
