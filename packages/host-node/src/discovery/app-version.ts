import { join } from 'node:path';
import type { PluginConfig } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { compareVersions } from '../install/version.js';

/**
 * Refuse a plugin whose config names an application version range that `appVersion` is outside
 * of: `min_app_version` (seed key) and `min_client_version` are the oldest version it runs on,
 * `max_client_version` the newest. Nothing is checked when the host gave no `appVersion`.
 * Throws `APP_VERSION_UNSUPPORTED` naming both versions and the key.
 */
export function checkAppVersion(dir: string, config: PluginConfig, appVersion: string | undefined): void {
  if (appVersion === undefined) return;
  const p = config.plugin;
  const bounds: Array<readonly [key: string, version: string | undefined, tooOld: boolean]> = [
    ['min_app_version', p.min_app_version, true],
    ['min_client_version', p.min_client_version, true],
    ['max_client_version', p.max_client_version, false],
  ];
  for (const [key, version, isMin] of bounds) {
    if (version === undefined) continue;
    const cmp = compareVersions(appVersion, version);
    if (isMin ? cmp >= 0 : cmp <= 0) continue;
    const need = isMin ? `${version} or newer` : `${version} or older`;
    throw new HostError(
      'APP_VERSION_UNSUPPORTED',
      `Plugin "${p.id}" needs application version ${need} (${key} in config.toml); this application is ${appVersion}. ` +
        (isMin
          ? 'Update the application, or install an older version of the plugin.'
          : 'Install a newer version of the plugin.'),
      {
        pluginId: p.id,
        location: { file: join(dir, 'config.toml') },
        detail: { key, required: version, appVersion },
      },
    );
  }
}
