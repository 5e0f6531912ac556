import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginConfig } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { parsePluginConfig } from './parse-config.js';

/** The file name every plugin folder carries. */
export const CONFIG_FILE_NAME = 'config.toml';

/** A parsed config together with where it came from. */
export interface LoadedConfig {
  readonly config: PluginConfig;
  /** Absolute or root-relative path of the config.toml that was read. */
  readonly configPath: string;
}

/**
 * Read `<dir>/config.toml` and validate it (see {@link parsePluginConfig}). A missing file throws
 * `CONFIG_NOT_FOUND`; an unreadable one `CONFIG_PARSE`. Paths inside the config are the caller's
 * business and are resolved against `dir`, never against the process working directory.
 */
export async function readPluginConfig(dir: string): Promise<LoadedConfig> {
  const configPath = join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new HostError(
        'CONFIG_NOT_FOUND',
        `${configPath} does not exist: every plugin folder needs a config.toml with a [plugin] table.`,
        { location: { file: configPath }, cause: e },
      );
    }
    throw new HostError(
      'CONFIG_PARSE',
      `${configPath} could not be read (${code ?? String(e)}); check its permissions.`,
      {
        location: { file: configPath },
        cause: e,
      },
    );
  }
  return { config: parsePluginConfig(text, configPath), configPath };
}
