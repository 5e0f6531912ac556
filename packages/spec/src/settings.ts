import type { SettingSpec } from './schemas/config.js';

/** One problem with one setting value. */
export interface SettingProblem {
  readonly key: string;
  readonly message: string;
}

export type SettingsResult =
  | { readonly ok: true; readonly values: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly SettingProblem[] };

/** The declared defaults, for a plugin instance that has no saved settings yet. */
export function defaultSettings(specs: Readonly<Record<string, SettingSpec>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.default !== undefined) out[key] = spec.default;
    else if (spec.type === 'boolean') out[key] = false;
  }
  return out;
}

function checkOne(key: string, spec: SettingSpec, value: unknown): string | null {
  const missing = value === undefined || value === null || value === '';
  if (missing) return 'required' in spec && spec.required ? `${key} is required` : null;
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return `${key} must be text`;
      if (spec.min_length !== undefined && value.length < spec.min_length)
        return `${key} must be at least ${spec.min_length} characters`;
      if (spec.max_length !== undefined && value.length > spec.max_length)
        return `${key} must be at most ${spec.max_length} characters`;
      if (spec.pattern !== undefined) {
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${spec.pattern})$`, 'u');
        } catch {
          return `${key} has an invalid pattern in config.toml`;
        }
        if (!re.test(value)) return `${key} does not match the required format`;
      }
      return null;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${key} must be a number`;
      if (spec.type === 'integer' && !Number.isInteger(value)) return `${key} must be a whole number`;
      if (spec.min !== undefined && value < spec.min) return `${key} must be at least ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `${key} must be at most ${spec.max}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${key} must be true or false`;
    case 'select':
      return typeof value === 'string' && spec.options.includes(value)
        ? null
        : `${key} must be one of ${spec.options.join(', ')}`;
  }
}

/**
 * Validate setting values against the settings a plugin declared. The browser form and the host
 * both call this, so a value the form accepts is a value the host accepts. Unknown keys are refused.
 */
export function validateSettings(
  specs: Readonly<Record<string, SettingSpec>>,
  values: Readonly<Record<string, unknown>>,
): SettingsResult {
  const problems: SettingProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(specs, key)) problems.push({ key, message: `${key} is not a setting of this plugin` });
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(values, key) ? values[key] : spec.default;
    const problem = checkOne(key, spec, value);
    if (problem) problems.push({ key, message: problem });
    else if (value !== undefined) out[key] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: out };
}
