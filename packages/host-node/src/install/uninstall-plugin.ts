import { lstat, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertPluginId, readPluginConfig } from '../config/index.js';
import { HostError } from '../errors.js';
import { withFolderLock } from './folder-lock.js';
import { retiredName } from './swap-folder.js';

/** What {@link uninstallPlugin} needs. */
export interface UninstallOptions {
  readonly id: string;
  readonly pluginsDir: string;
  /** When it returns true the plugin's library is in use and nothing is removed. */
  readonly isLoaded?: (id: string) => boolean | Promise<boolean>;
}

/** The plugin that was removed. */
export interface UninstalledPlugin {
  readonly id: string;
  readonly dir: string;
  /** Version from its config.toml, or null when that was unreadable. */
  readonly version: string | null;
}

/**
 * Remove `<pluginsDir>/<id>`. Refuses with `INSTALL_FAILED` while `isLoaded(id)` says the library
 * is in use (deleting a loaded library was a seed defect), `PLUGIN_NOT_FOUND` when there is no such
 * folder, `PLUGIN_ID_INVALID` for an id that could leave the plugins folder. The folder is first
 * renamed aside, so discovery never sees a half-deleted plugin.
 */
export async function uninstallPlugin(options: UninstallOptions): Promise<UninstalledPlugin> {
  assertPluginId(options.id);
  return withFolderLock(join(options.pluginsDir, options.id), () => uninstall(options));
}

async function uninstall(options: UninstallOptions): Promise<UninstalledPlugin> {
  const { id } = options;
  const dir = join(resolve(options.pluginsDir), id);
  try {
    if (!(await lstat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new HostError(
      'PLUGIN_NOT_FOUND',
      `Plugin "${id}" is not installed: ${dir} is not a plugin folder.`,
      {
        pluginId: id,
      },
    );
  }
  if ((await options.isLoaded?.(id)) === true) {
    throw new HostError(
      'INSTALL_FAILED',
      `Plugin "${id}" is loaded, so it was not uninstalled; unload all its instances first, then uninstall again.`,
      { pluginId: id },
    );
  }
  const version = await readPluginConfig(dir).then(
    (c) => c.config.plugin.version,
    () => null,
  );
  const retired = retiredName(dir);
  await rename(dir, retired);
  await rm(retired, { recursive: true, force: true });
  return { id, dir, version };
}
