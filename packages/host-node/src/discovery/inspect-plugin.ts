import { basename, join, resolve } from 'node:path';
import { CONFIG_FILE_NAME, type LoadedConfig, readPluginConfig } from '../config/index.js';
import { HostError, toHostError } from '../errors.js';
import { checkAppVersion } from './app-version.js';
import { expectedChecksum, verifyLibraryChecksum } from './checksum.js';
import { checkDeclaredAbi } from './declared-abi.js';
import { assertElfComplete } from './elf-extent.js';
import { resolveLibrary } from './library-path.js';
import { currentPlatform } from './platform.js';
import type { DiscoveredPlugin, DiscoveryOptions } from './types.js';

/**
 * Check a plugin whose config is already read: disabled flag, declared ABI, application version,
 * library location (inside the folder), a library file cut short (see `assertElfComplete`), then
 * checksum. Never throws: problems become an `error` entry. The config's warnings travel with the
 * entry whatever its status.
 */
export async function checkPlugin(
  dir: string,
  loaded: LoadedConfig,
  options: DiscoveryOptions = {},
): Promise<DiscoveredPlugin> {
  const { config, configPath, warnings } = loaded;
  const base = {
    id: config.plugin.id,
    dir,
    configPath,
    config,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  if (config.plugin.disabled === true) {
    const error = new HostError(
      'PLUGIN_DISABLED',
      `Plugin "${config.plugin.id}" is disabled by \`disabled = true\` in ${configPath}; remove that line to enable it.`,
      { pluginId: config.plugin.id, location: { file: configPath } },
    );
    return { ...base, libraryPath: null, status: 'disabled', error };
  }
  const platform = options.platform ?? currentPlatform();
  try {
    checkDeclaredAbi(dir, config, options.hostAbi);
    checkAppVersion(dir, config, options.appVersion);
    const libraryPath = await resolveLibrary(dir, config, platform);
    await assertElfComplete(libraryPath);
    if (options.verifyChecksums === false) return { ...base, libraryPath, status: 'ready' };
    await verifyLibraryChecksum(dir, config, libraryPath, platform);
    const sha256 = expectedChecksum(config, platform)?.sha256;
    return { ...base, libraryPath, status: 'ready', ...(sha256 === undefined ? {} : { sha256 }) };
  } catch (e) {
    return { ...base, libraryPath: null, status: 'error', error: toHostError(e) };
  }
}

/**
 * Read and check one plugin folder (see {@link checkPlugin}); a config that is missing or
 * invalid gives an `error` entry named after the folder. Install uses it to vet a new version
 * before it is swapped in.
 */
export async function inspectPlugin(dir: string, options: DiscoveryOptions = {}): Promise<DiscoveredPlugin> {
  const loaded = await readConfigEntry(dir, options);
  return 'status' in loaded ? loaded : checkPlugin(dir, loaded, options);
}

/** Read a folder's config, or the `error` entry describing why it cannot be read. */
export async function readConfigEntry(
  dir: string,
  options: Pick<DiscoveryOptions, 'strict' | 'maxConfigBytes'> = {},
): Promise<LoadedConfig | DiscoveredPlugin> {
  try {
    return await readPluginConfig(dir, {
      ...(options.strict === undefined ? {} : { strict: options.strict }),
      ...(options.maxConfigBytes === undefined ? {} : { maxConfigBytes: options.maxConfigBytes }),
    });
  } catch (e) {
    return {
      id: basename(resolve(dir)),
      dir,
      configPath: join(dir, CONFIG_FILE_NAME),
      config: null,
      libraryPath: null,
      status: 'error',
      error: toHostError(e),
    };
  }
}
