import { open } from 'node:fs/promises';
import { type PluginConfig, validateSettings } from '@plugin-interfaces/spec';
import { isValidPluginId } from '../config/index.js';
import { verifyLibraryChecksum } from '../discovery/checksum.js';
import { resolveLibrary } from '../discovery/library-path.js';
import { currentPlatform, platformKeys } from '../discovery/platform.js';
import { assertLoadableArch, detectArch } from '../driver/in-process/arch.js';
import { toHostError } from '../errors.js';
import type { CheckResult } from './types.js';

const failure = (check: string, e: unknown): CheckResult => {
  const err = toHostError(e);
  return { check, status: 'fail', detail: err.message, code: err.code };
};

/** Where the library is: found under the name discovery looks for, inside the folder. */
export async function checkLibrary(
  dir: string,
  config: PluginConfig,
): Promise<{ result: CheckResult; path: string | null }> {
  try {
    const path = await resolveLibrary(dir, config, currentPlatform());
    return { result: { check: 'library', status: 'pass', detail: path }, path };
  } catch (e) {
    return { result: failure('library', e), path: null };
  }
}

/** The file's format and CPU architecture against this process's. */
export async function checkArchitecture(path: string): Promise<CheckResult> {
  try {
    const file = await open(path, 'r');
    const head = new Uint8Array(4096);
    const { bytesRead } = await file.read(head, 0, head.length, 0).finally(() => file.close());
    const found = detectArch(head.subarray(0, bytesRead));
    assertLoadableArch(path, head.subarray(0, bytesRead));
    return { check: 'architecture', status: 'pass', detail: `${found.format} ${found.arch}` };
  } catch (e) {
    return failure('architecture', e);
  }
}

/** The library against `[checksums]` for this platform (a warning when there is none). */
export async function checkChecksum(dir: string, config: PluginConfig, path: string): Promise<CheckResult> {
  const platform = currentPlatform();
  const keys = platformKeys(platform);
  if (!keys.some((k) => config.checksums?.[k] !== undefined)) {
    return {
      check: 'checksum',
      status: 'warn',
      detail: `no [checksums] entry for ${keys.join(' or ')}: the library is not verified (add its SHA-256 before publishing)`,
    };
  }
  try {
    await verifyLibraryChecksum(dir, config, path, platform);
    return { check: 'checksum', status: 'pass', detail: 'the library matches [checksums]' };
  } catch (e) {
    return failure('checksum', e);
  }
}

/** `[permissions]`: plugin ids that can be called, app-config keys that can be read. */
export function checkPermissions(config: PluginConfig): CheckResult {
  const p = config.permissions;
  if (p === undefined) return { check: 'permissions', status: 'pass', detail: 'none requested' };
  const problems: string[] = [];
  for (const id of p.call_plugins ?? []) {
    if (id !== '*' && !isValidPluginId(id)) problems.push(`call_plugins: "${id}" is not a plugin id`);
    if (id === config.plugin.id) problems.push(`call_plugins: "${id}" is the plugin itself`);
  }
  for (const key of p.app_config ?? []) {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(key)) problems.push(`app_config: "${key}" is not an app-config key`);
  }
  if (problems.length > 0)
    return { check: 'permissions', status: 'fail', detail: problems.join('; '), code: 'CONFIG_INVALID' };
  const granted = [
    ...(p.call_plugins ?? []).map((id) => `call ${id}`),
    ...(p.app_config ?? []).map((k) => `read app config ${k}`),
  ];
  return {
    check: 'permissions',
    status: 'pass',
    detail: granted.length > 0 ? granted.join(', ') : 'none granted',
  };
}

/** The declared settings and their defaults, as the host will validate them. */
export function checkSettingsSchema(config: PluginConfig): CheckResult {
  const specs = config.settings ?? {};
  const names = Object.keys(specs);
  if (names.length === 0) return { check: 'settings', status: 'pass', detail: 'no settings declared' };
  const result = validateSettings(specs, {});
  if (result.ok)
    return { check: 'settings', status: 'pass', detail: `${names.length} setting(s): ${names.join(', ')}` };
  // A required setting without a default is the user's to fill in; a default that breaks its own rule is a bug.
  const required = result.problems.filter((p) => {
    const spec = specs[p.key];
    return spec !== undefined && 'required' in spec && spec.required === true && spec.default === undefined;
  });
  const broken = result.problems.filter((p) => !required.includes(p));
  if (broken.length > 0) {
    return {
      check: 'settings',
      status: 'fail',
      detail: broken.map((p) => p.message).join('; '),
      code: 'SETTINGS_INVALID',
    };
  }
  return {
    check: 'settings',
    status: 'warn',
    detail: `required without a default (the user must set them before the plugin loads): ${required.map((p) => p.key).join(', ')}`,
  };
}
