import { type DiscoveredPlugin, toPluginInfo } from '../../discovery/index.js';
import type { PluginDriver } from '../../driver/types.js';
import { HostError } from '../../errors.js';
import type { IsolationMode, PluginHostOptions } from '../options.js';
import { settle } from '../settle.js';
import { createDefaultDriver } from './default-driver.js';

type DriverOptions = Pick<PluginHostOptions, 'driver' | 'driverFor' | 'isolation' | 'isolatedDriver'>;

/**
 * Which driver runs a plugin: the integrator's `driverFor`/`driver`, or one of the two shared
 * drivers the host creates on first use for `isolation` (in-process, isolated). Every driver
 * handed out is closed by {@link HostDrivers.close}.
 */
export class HostDrivers {
  readonly #options: DriverOptions;
  readonly #used = new Set<PluginDriver>();
  readonly #shared = new Map<IsolationMode, Promise<PluginDriver>>();

  constructor(options: DriverOptions) {
    this.#options = options;
  }

  /**
   * The mode a plugin will run in when the host picks the driver; null when a custom driver
   * decides (its `kind` is known only once the library is loaded).
   */
  modeOf(plugin: DiscoveredPlugin): IsolationMode | null {
    if (this.#options.driverFor !== undefined) return null;
    if (this.#options.driver !== undefined) return this.#options.driver.kind;
    const isolation = this.#options.isolation ?? 'in-process';
    return typeof isolation === 'function' ? isolation(toPluginInfo(plugin)) : isolation;
  }

  /** The driver for a plugin, creating the shared one of its mode on first use. */
  async driverFor(plugin: DiscoveredPlugin): Promise<PluginDriver> {
    let driver: PluginDriver;
    if (this.#options.driverFor !== undefined) driver = this.#options.driverFor(plugin);
    else if (this.#options.driver !== undefined) driver = this.#options.driver;
    else driver = await this.#sharedDriver(this.modeOf(plugin) ?? 'in-process');
    this.#used.add(driver);
    return driver;
  }

  #sharedDriver(mode: IsolationMode): Promise<PluginDriver> {
    let driver = this.#shared.get(mode);
    if (driver === undefined) {
      driver = mode === 'isolated' ? createIsolatedDriver(this.#options) : createDefaultDriver();
      this.#shared.set(mode, driver);
      driver.catch(() => this.#shared.delete(mode));
    }
    return driver;
  }

  /** Close every driver handed out, within `ms` (at least 100 ms). */
  async close(ms: number): Promise<void> {
    await settle(Promise.allSettled([...this.#used].map((d) => d.close())), Math.max(ms, 100));
  }
}

/** The shared isolated driver; imported lazily so an in-process host never loads it. */
async function createIsolatedDriver(options: DriverOptions): Promise<PluginDriver> {
  try {
    const { IsolatedDriver } = await import('../../driver/isolated/index.js');
    return new IsolatedDriver(options.isolatedDriver);
  } catch (e) {
    throw new HostError('UNSUPPORTED', `The isolated driver could not be loaded (${String(e)}).`, {
      cause: e,
    });
  }
}
