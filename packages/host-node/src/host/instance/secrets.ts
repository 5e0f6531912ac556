import { isSecretMarker, type SecretMarker, type SettingSpec } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type { LoadedLibrary } from '../plugins/libraries.js';

/** True when `[settings.<key>]` declares `secret = true`. */
export function isSecret(specs: Readonly<Record<string, SettingSpec>> | undefined, key: string): boolean {
  const spec = specs?.[key];
  return spec !== undefined && spec.type === 'string' && spec.secret === true;
}

/** The marker shown instead of a secret value. */
export function secretMarker(value: unknown): SecretMarker {
  return { secret: value === undefined || value === null || value === '' ? 'unset' : 'set' };
}

/**
 * Setting values as they may leave the host towards anyone but the plugin itself: each secret
 * setting (set or not) shows as `{ secret: 'set' | 'unset' }`.
 */
export function maskSecrets(
  specs: Readonly<Record<string, SettingSpec>> | undefined,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values))
    out.set(key, isSecret(specs, key) ? secretMarker(value) : value);
  for (const key of Object.keys(specs ?? {}))
    if (isSecret(specs, key) && !out.has(key)) out.set(key, secretMarker(undefined));
  return Object.fromEntries(out);
}

/**
 * Settings a client sent back, with each secret that still carries the `set` marker (the client
 * never saw the value) replaced by the value the instance has, so a form can be saved unchanged.
 */
export function keepSecrets(
  specs: Readonly<Record<string, SettingSpec>> | undefined,
  incoming: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(incoming)) {
    if (isSecret(specs, key) && isSecretMarker(value)) {
      if (value.secret === 'set' && Object.hasOwn(current, key)) out.set(key, current[key]);
    } else out.set(key, value);
  }
  return Object.fromEntries(out);
}

/** The values of the secret settings that are set (what must never appear in logs or errors). */
export function secretValues(
  specs: Readonly<Record<string, SettingSpec>> | undefined,
  values: Readonly<Record<string, unknown>>,
): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(values))
    if (isSecret(specs, key) && typeof value === 'string' && value !== '') out.push(value);
  return out;
}

/** `text` with every secret value replaced by `[secret]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, '[secret]');
  return out;
}

/** The error with secret values removed from its message and detail. */
export function redactError(error: HostError, secrets: readonly string[]): HostError {
  if (secrets.length === 0) return error;
  const message = redact(error.message, secrets);
  const detailJson = error.detail === undefined ? undefined : redact(JSON.stringify(error.detail), secrets);
  if (message === error.message && detailJson === JSON.stringify(error.detail)) return error;
  return new HostError(error.code, message, {
    ...(error.pluginId === undefined ? {} : { pluginId: error.pluginId }),
    ...(error.instanceId === undefined ? {} : { instanceId: error.instanceId }),
    ...(detailJson === undefined ? {} : { detail: JSON.parse(detailJson) as unknown }),
    retryable: error.retryable,
  });
}

/** What logs and redaction need of an instance: a `HostInstance`, or a `LoadingInstance`. */
export interface InstanceRef {
  readonly id: string;
  readonly pluginId: string;
  /** Null while the library still loads. */
  readonly lib: LoadedLibrary | null;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The secret values an instance holds (none while it has no library yet). */
function secretsOf(instance: InstanceRef): string[] {
  return instance.lib === null ? [] : secretValues(instance.lib.config.settings, instance.settings);
}

/** `text` with the instance's secret values replaced by `[secret]`. */
export function redactFor(instance: InstanceRef, text: string): string {
  return redact(text, secretsOf(instance));
}

/** The error with the instance's secret values removed (for logs, events, history and callers). */
export function scrubError(instance: InstanceRef, error: HostError): HostError {
  return redactError(error, secretsOf(instance));
}
