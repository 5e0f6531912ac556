import type { ErrorCode, PluginInfo } from '@plugin-interfaces/spec';
import {
  type DiscoveredPlugin,
  type DiscoveryOptions,
  type DiscoveryResult,
  discoverPlugins,
} from '../../discovery/index.js';
import { HostError, toHostError } from '../../errors.js';
import type { LibraryRegistry } from './libraries.js';

/** Load errors that say the library file can never load as it is (not a crash or a timeout). */
const PERMANENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'LIBRARY_NOT_FOUND',
  'LIBRARY_LOAD_FAILED',
  'ENTRY_SYMBOL_MISSING',
  'ENTRY_INVALID',
  'ABI_MAJOR_MISMATCH',
  'ABI_MINOR_TOO_NEW',
  'LAYOUT_MISMATCH',
  'CHECKSUM_MISMATCH',
  // A library that crashes its process while loading, too often (the isolated driver counts it).
  'PLUGIN_DISABLED_AFTER_CRASHES',
]);

/** The plugins found by the last scan of the plugin folders, and lookup by id with a clear error. */
export class PluginCatalog {
  readonly #dirs: readonly string[];
  readonly #options: DiscoveryOptions | undefined;
  readonly #libraries: LibraryRegistry;
  #discovery: DiscoveryResult | null = null;
  /** Plugins whose library failed to load for good, until the next scan. */
  readonly #loadErrors = new Map<string, HostError>();

  constructor(dirs: readonly string[], options: DiscoveryOptions | undefined, libraries: LibraryRegistry) {
    this.#dirs = dirs;
    this.#options = options;
    this.#libraries = libraries;
  }

  /** Every discovered plugin, with its isolation mode, crash-disabled state and lasting load error. */
  plugins(): PluginInfo[] {
    return (this.#discovery?.plugins ?? []).map((p) => {
      const info = this.#libraries.pluginInfo(p);
      const failed = this.#loadErrors.get(p.id);
      if (failed === undefined || info.status !== 'ready') return info;
      const loc = failed.location;
      return {
        ...info,
        status: failed.code === 'PLUGIN_DISABLED_AFTER_CRASHES' ? 'disabled' : 'error',
        error: loc === undefined ? failed.toInfo() : { ...failed.toInfo(), location: { ...loc } },
      };
    });
  }

  async rescan(): Promise<void> {
    this.#loadErrors.clear();
    this.#discovery = await discoverPlugins(this.#dirs, this.#options);
  }

  /** A ready plugin (rescanning once when the id is unknown); PLUGIN_NOT_FOUND or its own error otherwise. */
  async ready(pluginId: string): Promise<DiscoveredPlugin> {
    let plugin = this.#discovery?.byId.get(pluginId);
    if (plugin === undefined) {
      await this.rescan();
      plugin = this.#discovery?.byId.get(pluginId);
    }
    if (plugin === undefined) {
      const found = this.plugins().map((p) => p.id);
      throw new HostError(
        'PLUGIN_NOT_FOUND',
        `No plugin "${pluginId}" in ${this.#dirs.join(', ')} (found: ${found.join(', ') || 'none'}).`,
        { pluginId },
      );
    }
    if (plugin.status !== 'ready')
      throw (
        plugin.error ??
        new HostError('PLUGIN_DISABLED', `Plugin "${pluginId}" is ${plugin.status}.`, { pluginId })
      );
    const failed = this.#loadErrors.get(pluginId);
    if (failed !== undefined) throw failed;
    if (this.#libraries.disabled(pluginId) !== undefined) return plugin;
    // Start the library load here (the load that follows shares it) and watch it: a library that
    // can never load marks the plugin `error` with that error until the next scan.
    this.#libraries.library(plugin).catch((e: unknown) => {
      const error = toHostError(e, 'LIBRARY_LOAD_FAILED');
      if (PERMANENT.has(error.code)) this.#loadErrors.set(pluginId, error);
    });
    return plugin;
  }
}
