import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LIMITS, type PluginConfig } from '@plugin-interfaces/spec';
import { assertPluginId, CONFIG_FILE_NAME, parsePluginConfig, readPluginConfig } from '../config/index.js';
import {
  currentPlatform,
  expectedChecksum,
  inspectPlugin,
  isInside,
  libraryCandidates,
  type Platform,
  platformKeys,
} from '../discovery/index.js';
import { HostError, isHostError } from '../errors.js';
import { type DownloadProgress, download } from './download.js';
import { withFolderLock } from './folder-lock.js';
import type { PluginIndex } from './plugin-index.js';
import { swapIntoPlace } from './swap-folder.js';
import type { TransportPolicy } from './transport-policy.js';

/** What {@link installPlugin} needs. */
export interface InstallOptions extends TransportPolicy {
  readonly index: PluginIndex;
  readonly id: string;
  /** The folder that holds one subfolder per installed plugin (created if missing). */
  readonly pluginsDir: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Largest library accepted, default `LIMITS.installLibraryMaxBytes` (256 MiB). */
  readonly maxBytes?: number;
  /** Deadline for each download (config, library), default `LIMITS.installDownloadTimeoutMs` (120 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly platform?: Platform;
  /** When it returns true the plugin's library is in use and is not replaced. */
  readonly isLoaded?: (id: string) => boolean | Promise<boolean>;
}

/** A plugin that is now installed at `dir`. */
export interface InstalledPlugin {
  readonly id: string;
  readonly version: string;
  readonly dir: string;
  readonly configPath: string;
  readonly libraryPath: string;
  readonly sha256: string;
  /** Version that was replaced, or null for a fresh install. */
  readonly previousVersion: string | null;
}

/**
 * Install or upgrade a plugin from an index into `<pluginsDir>/<id>`. The config and the library
 * for this platform are downloaded into memory and the library's SHA-256 is checked against the
 * config's `[download.<platform>] checksum` before anything is written. Every download is https
 * (plain http only to loopback with `allowLoopbackHttp`) and follows redirects within one origin. The new folder is built
 * in `<pluginsDir>/.install-<id>-<random>`, vetted with the same checks discovery applies, and
 * swapped in by renames; on any failure the previous version stays as it was. The library is
 * saved under the name discovery looks for. Errors: `PLUGIN_ID_INVALID`, `PLUGIN_NOT_FOUND`
 * (not in the index), `CHECKSUM_MISMATCH`, otherwise `INSTALL_FAILED`.
 */
export async function installPlugin(options: InstallOptions): Promise<InstalledPlugin> {
  assertPluginId(options.id);
  return withFolderLock(join(options.pluginsDir, options.id), () => install(options));
}

async function install(options: InstallOptions): Promise<InstalledPlugin> {
  const { id, index } = options;
  const entry = index.plugins.find((p) => p.id === id);
  if (entry === undefined) {
    throw new HostError('PLUGIN_NOT_FOUND', `The plugin index ${index.url} has no plugin "${id}".`, {
      pluginId: id,
    });
  }
  if ((await options.isLoaded?.(id)) === true) {
    throw new HostError(
      'INSTALL_FAILED',
      `Plugin "${id}" is loaded; unload all its instances, then install again.`,
      {
        pluginId: id,
      },
    );
  }
  const platform = options.platform ?? currentPlatform();
  const common = {
    pluginId: id,
    timeoutMs: options.timeoutMs ?? LIMITS.installDownloadTimeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.allowLoopbackHttp === undefined ? {} : { allowLoopbackHttp: options.allowLoopbackHttp }),
  };

  const configFile = await download(new URL(entry.configUrl), {
    ...common,
    // The same cap discovery reads config.toml with: a config install accepts, the host can read.
    maxBytes: LIMITS.maxConfigBytes,
    what: `the config.toml of ${id}`,
  });
  const text = configFile.bytes.toString('utf8');
  const config = guard(id, () => parsePluginConfig(text, entry.configUrl));
  if (config.plugin.id !== id)
    fail(id, `its config.toml at ${entry.configUrl} declares id "${config.plugin.id}"`);
  if (config.plugin.version !== entry.version) {
    fail(
      id,
      `the index offers ${entry.version} but its config.toml says ${config.plugin.version}; the index is stale`,
    );
  }

  const { key, url, checksum } = downloadFor(config, platform, entry.configUrl);
  const library = await download(url, {
    ...common,
    maxBytes: options.maxBytes ?? LIMITS.installLibraryMaxBytes,
    what: `the ${key} library of ${id}`,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const pinned = expectedChecksum(config, platform)?.sha256;
  for (const expected of new Set([checksum, ...(pinned === undefined ? [] : [pinned])])) {
    if (library.sha256 !== expected) {
      throw new HostError(
        'CHECKSUM_MISMATCH',
        `The library of "${id}" downloaded from ${url.href} has SHA-256 ${library.sha256}, but its config.toml ` +
          `expects ${expected}. Nothing was installed; the previous version is untouched. Report this to the publisher.`,
        { pluginId: id, detail: { url: url.href, expected, actual: library.sha256 } },
      );
    }
  }

  const libraryRel = libraryCandidates(config, platform)[0] ?? '';
  const pluginsDir = resolve(options.pluginsDir);
  const target = join(pluginsDir, id);
  if (!isInside(target, resolve(target, libraryRel))) {
    fail(id, `[plugin] library "${config.plugin.library}" points outside the plugin folder`);
  }
  const previousVersion = await readPluginConfig(target).then(
    (c) => c.config.plugin.version,
    () => null,
  );

  await mkdir(pluginsDir, { recursive: true });
  const staging = await mkdtemp(join(pluginsDir, `.install-${id}-`));
  try {
    await writeFile(join(staging, CONFIG_FILE_NAME), text);
    await mkdir(dirname(join(staging, libraryRel)), { recursive: true });
    await writeFile(join(staging, libraryRel), library.bytes, { mode: 0o755 });
    const vetted = await inspectPlugin(staging, { platform });
    if (vetted.status === 'error') {
      fail(
        id,
        `the downloaded plugin does not pass discovery: ${vetted.error?.message ?? 'unknown error'}`,
        vetted.error,
      );
    }
    await swapIntoPlace(staging, target);
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (isHostError(e)) throw e;
    fail(id, `writing ${target} failed (${e instanceof Error ? e.message : String(e)})`, e);
  }
  return {
    id,
    version: config.plugin.version,
    dir: target,
    configPath: join(target, CONFIG_FILE_NAME),
    libraryPath: join(target, libraryRel),
    sha256: library.sha256,
    previousVersion,
  };
}

function downloadFor(config: PluginConfig, platform: Platform, configUrl: string) {
  const id = config.plugin.id;
  for (const key of platformKeys(platform)) {
    const d = config.download?.[key];
    if (d === undefined) continue;
    let url: URL;
    try {
      url = new URL(d.download_url, configUrl);
    } catch {
      return fail(id, `[download.${key}] download_url "${d.download_url}" is not a URL`);
    }
    return { key, url, checksum: d.checksum.toLowerCase() };
  }
  const offered = Object.keys(config.download ?? {});
  return fail(
    id,
    `there is no download for ${platformKeys(platform).join(' or ')} (offered: ${offered.length > 0 ? offered.join(', ') : 'none'})`,
  );
}

function guard<T>(id: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return fail(id, e instanceof Error ? e.message : String(e), e);
  }
}

function fail(id: string, why: string, cause?: unknown): never {
  throw new HostError(
    'INSTALL_FAILED',
    `Installing plugin "${id}" failed: ${why}. The previous version is untouched.`,
    {
      pluginId: id,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
