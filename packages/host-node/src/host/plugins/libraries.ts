import type { PluginConfig, PluginInfo } from '@plugin-interfaces/spec';
import { type DiscoveredPlugin, toPluginInfo } from '../../discovery/index.js';
import type { DriverFault, DriverHooks, DriverLibrary, PluginDriver } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import type { HostDrivers } from './drivers.js';

/** One library loaded through a driver, shared by every instance of its plugin. */
export interface LoadedLibrary {
  readonly plugin: DiscoveredPlugin;
  readonly config: PluginConfig;
  readonly driver: PluginDriver;
  readonly library: DriverLibrary;
  /** Ids of the instances created from it; the library closes when the last one goes. */
  readonly instances: Set<string>;
}

/** What happens with a driver fault of a loaded library (see `faults.ts`). */
export type FaultHandler = (lib: LoadedLibrary, fault: DriverFault) => void;

/**
 * The plugin libraries the host has loaded, one current library per plugin id, shared by that
 * plugin's instances. Loads a library once through its driver (with the fault hook bound to it),
 * closes it with its last instance, and remembers plugins a driver disabled after repeated
 * crashes. A reload opens the next generation with {@link LibraryRegistry.fresh} next to the
 * current one and makes it current with {@link LibraryRegistry.adopt}; until then `hold` keeps the
 * previous one open while its instances move.
 */
export class LibraryRegistry {
  readonly #ctx: HostContext;
  readonly #drivers: HostDrivers;
  readonly #hooks: DriverHooks;
  readonly #onFault: FaultHandler;
  readonly #loaded = new Map<string, Promise<LoadedLibrary>>();
  /** Driver kind of every plugin whose library was loaded, for PluginInfo.isolation. */
  readonly #kinds = new Map<string, PluginDriver['kind']>();
  /** Plugins disabled after crashes, until `reload`. */
  readonly #disabled = new Map<string, HostError>();
  /** The current library of each plugin, once loaded. */
  readonly #current = new Map<string, LoadedLibrary>();
  /** Libraries a reload keeps open while they have no instances (count of holds). */
  readonly #held = new Map<LoadedLibrary, number>();
  /** Libraries closed by the host: their late faults are ignored. */
  readonly #closed = new WeakSet<LoadedLibrary>();

  constructor(ctx: HostContext, drivers: HostDrivers, hooks: DriverHooks, onFault: FaultHandler) {
    this.#ctx = ctx;
    this.#drivers = drivers;
    this.#hooks = hooks;
    this.#onFault = onFault;
  }

  /** The loaded library of a plugin, loading it (once) through its driver. */
  library(plugin: DiscoveredPlugin): Promise<LoadedLibrary> {
    let lib = this.#loaded.get(plugin.id);
    if (lib === undefined) {
      const loading = this.#load(plugin);
      lib = loading;
      this.#loaded.set(plugin.id, loading);
      loading.then(
        (l) => {
          if (this.#loaded.get(plugin.id) === loading) this.#current.set(plugin.id, l);
        },
        () => {
          if (this.#loaded.get(plugin.id) === loading) this.#loaded.delete(plugin.id);
        },
      );
    }
    return lib;
  }

  async #load(plugin: DiscoveredPlugin): Promise<LoadedLibrary> {
    const driver = await this.#drivers.driverFor(plugin);
    let loaded: LoadedLibrary | undefined;
    const onFault = (fault: DriverFault): void => {
      if (loaded === undefined || this.#closed.has(loaded)) return;
      if (fault.kind === 'disabled')
        this.#disabled.set(plugin.id, new HostError(fault.code, fault.message, { pluginId: plugin.id }));
      this.#onFault(loaded, fault);
    };
    const library = await driver.loadLibrary(
      plugin.libraryPath!,
      { ...this.#hooks, onFault },
      { sha256: plugin.sha256 },
    );
    this.#kinds.set(plugin.id, driver.kind);
    loaded = { plugin, config: plugin.config!, driver, library, instances: new Set<string>() };
    return loaded;
  }

  /** Open a new generation of a plugin's library next to the current one (not current until `adopt`). */
  fresh(plugin: DiscoveredPlugin): Promise<LoadedLibrary> {
    return this.#load(plugin);
  }

  /** Make a library from `fresh` the plugin's current one, and forget that the plugin was disabled. */
  adopt(lib: LoadedLibrary): void {
    this.#loaded.set(lib.plugin.id, Promise.resolve(lib));
    this.#current.set(lib.plugin.id, lib);
    this.#disabled.delete(lib.plugin.id);
  }

  /** The plugin's current library (the one new instances go on), if it was loaded. */
  current(pluginId: string): LoadedLibrary | undefined {
    return this.#current.get(pluginId);
  }

  /** Keep a library open while it has no instances, until the returned release is called. */
  hold(lib: LoadedLibrary): () => void {
    this.#held.set(lib, (this.#held.get(lib) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.#held.get(lib) ?? 1) - 1;
      if (n > 0) this.#held.set(lib, n);
      else this.#held.delete(lib);
    };
  }

  /** PLUGIN_DISABLED_AFTER_CRASHES when a driver disabled the plugin (until `reload`). */
  disabled(pluginId: string): HostError | undefined {
    return this.#disabled.get(pluginId);
  }

  /** The library promise of a plugin, if one was loaded (or is loading). */
  loaded(pluginId: string): Promise<LoadedLibrary> | undefined {
    return this.#loaded.get(pluginId);
  }

  /** Close a library once no instance uses it and no reload holds it; failures are logged. */
  async closeIfUnused(lib: LoadedLibrary): Promise<void> {
    if (lib.instances.size > 0 || this.#held.has(lib) || this.#closed.has(lib)) return;
    if (this.#current.get(lib.plugin.id) === lib) {
      this.#loaded.delete(lib.plugin.id);
      this.#current.delete(lib.plugin.id);
    }
    this.#closed.add(lib);
    try {
      await lib.library.close();
    } catch (e) {
      this.#ctx.logger.log(
        'error',
        `Closing the library of "${lib.plugin.id}" failed: ${toHostError(e).message}`,
        { pluginId: lib.plugin.id },
      );
    }
  }

  /** Close a plugin's library (when unused) and forget that it was disabled: `reload` starts afresh. */
  async reset(pluginId: string): Promise<void> {
    await this.#loaded
      .get(pluginId)
      ?.then((lib) => this.closeIfUnused(lib))
      .catch(() => undefined);
    this.#disabled.delete(pluginId);
  }

  /** Close every unused library. */
  closeAll(): Promise<unknown> {
    return Promise.allSettled([...this.#loaded.values()].map((p) => p.then((l) => this.closeIfUnused(l))));
  }

  /** The PluginInfo of a discovered plugin, with its isolation mode and crash-disabled state. */
  pluginInfo(p: DiscoveredPlugin): PluginInfo {
    const info = toPluginInfo(p);
    const kind = this.#kinds.get(p.id) ?? (p.status === 'ready' ? this.#drivers.modeOf(p) : null);
    if (kind !== null) info.isolation = kind;
    const disabled = this.#disabled.get(p.id);
    if (disabled !== undefined && info.status === 'ready') {
      info.status = 'disabled';
      info.error = disabled.toInfo();
    }
    return info;
  }
}
