import type { ConfigWarning, PluginConfig } from '@plugin-interfaces/spec';
import type { HostError } from '../errors.js';
import type { AbiVersion } from './declared-abi.js';
import type { Platform } from './platform.js';

/** Status of a discovered plugin, as `PluginInfo` shows it. */
export type PluginStatus = 'ready' | 'error' | 'disabled';

/**
 * One plugin folder found by discovery. `config` is null when config.toml could not be parsed
 * or validated (then `id` is the folder name); `libraryPath` is the verified real path of the
 * library and is only set for `ready` plugins. `error` is set for `error` and `disabled`.
 */
export interface DiscoveredPlugin {
  readonly id: string;
  readonly dir: string;
  readonly configPath: string;
  readonly config: PluginConfig | null;
  readonly libraryPath: string | null;
  readonly status: PluginStatus;
  readonly error?: HostError;
  /** Unknown config keys (with suggestions) and `[user]` values delivered as settings. */
  readonly warnings?: readonly ConfigWarning[];
  /**
   * The `[checksums]` SHA-256 verified at scan (when checksums are verified and the config has one
   * for this platform); drivers verify it again on the bytes they map at every load.
   */
  readonly sha256?: string;
}

/** What discovery found in one root folder. */
export interface RootScan {
  readonly root: string;
  /** `missing`: the folder does not exist; `error`: it exists but cannot be listed. */
  readonly status: 'ok' | 'missing' | 'error';
  readonly message?: string;
  /** Plugin folders (with a config.toml) found in it. */
  readonly plugins: number;
}

/** The result of {@link discoverPlugins}. */
export interface DiscoveryResult {
  /** Every plugin folder, in root order, then folder name order. */
  readonly plugins: readonly DiscoveredPlugin[];
  /** The plugin that owns each id: the first folder declaring it (duplicates are not in here). */
  readonly byId: ReadonlyMap<string, DiscoveredPlugin>;
  readonly roots: readonly RootScan[];
}

/** Knobs for discovery; the defaults describe this process. */
export interface DiscoveryOptions {
  /** Platform whose library names and checksums apply (default: this process). */
  readonly platform?: Platform;
  /** Host ABI to compare `[plugin] abi` against (default: the spec's). */
  readonly hostAbi?: AbiVersion;
  /** Verify `[checksums]` (default true). */
  readonly verifyChecksums?: boolean;
  /** Unknown keys in config.toml are errors (`CONFIG_UNKNOWN_KEY`) instead of warnings (default false). */
  readonly strict?: boolean;
  /**
   * The application's version: a plugin whose `min_app_version` (or `min_client_version` /
   * `max_client_version`) excludes it is refused with `APP_VERSION_UNSUPPORTED`. Unset: not checked.
   */
  readonly appVersion?: string;
  /** Largest config.toml read, in bytes (default `LIMITS.maxConfigBytes`). */
  readonly maxConfigBytes?: number;
  /**
   * Open every ready library at scan time in a short-lived child process and check its entry
   * symbol, ABI and struct layout there (no plugin code runs beyond `pi_plugin_entry`), so a library
   * that can never load shows `error` before anyone loads it (default false: checked at load).
   */
  readonly verifyLibraries?: boolean;
}
