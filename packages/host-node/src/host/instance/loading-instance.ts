import type { PluginEvent } from '../../driver/types.js';
import type { LoadedLibrary } from '../plugins/libraries.js';

/**
 * An instance id reserved by a `load` that has not finished: its library loads, then the driver
 * creates the instance. Views show it as `loading`. It is not an instance (nothing can be called
 * on it): events the plugin sends while its driver instance is being created wait here and are
 * applied, in order, once the {@link HostInstance} exists.
 */
export class LoadingInstance {
  /** The library, once it loaded (the driver instance is being created). */
  lib: LoadedLibrary | null = null;
  /** Event batches that arrived before the instance existed, oldest first. */
  readonly early: PluginEvent[][] = [];

  constructor(
    readonly id: string,
    readonly pluginId: string,
    readonly settings: Record<string, unknown>,
  ) {}
}
