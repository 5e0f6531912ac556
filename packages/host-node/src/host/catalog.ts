import type { PluginInfo } from '@plugin-interfaces/spec';
import {
  type DiscoveredPlugin,
  type DiscoveryOptions,
  type DiscoveryResult,
  discoverPlugins,
} from '../discovery/index.js';
import { HostError } from '../errors.js';
import type { LibraryRegistry } from './libraries.js';

/** The plugins found by the last scan of the plugin folders, and lookup by id with a clear error. */
export class PluginCatalog {
  readonly #dirs: readonly string[];
  readonly #options: DiscoveryOptions | undefined;
  readonly #libraries: LibraryRegistry;
  #discovery: DiscoveryResult | null = null;

  constructor(dirs: readonly string[], options: DiscoveryOptions | undefined, libraries: LibraryRegistry) {
    this.#dirs = dirs;
    this.#options = options;
    this.#libraries = libraries;
  }

  /** Every discovered plugin, with its isolation mode and crash-disabled state. */
  plugins(): PluginInfo[] {
    return (this.#discovery?.plugins ?? []).map((p) => this.#libraries.pluginInfo(p));
  }

  async rescan(): Promise<void> {
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
    return plugin;
  }
}
