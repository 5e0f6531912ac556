import { LIMITS } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type { NativeBuildOptions } from '../../native/build.js';
import { loadNativeRuntime } from '../../native/runtime.js';
import type { DriverHooks, LibraryLoadOptions, PluginDriver } from '../types.js';
import { InProcessLibrary, type LibrarySettings } from './library.js';
import { loadPluginLibrary } from './loader.js';

/** Options of {@link InProcessDriver}. */
export interface InProcessDriverOptions {
  /** Chunks a stream may send before the host grants credit back (default `LIMITS.streamCreditWindow`). */
  readonly creditWindow?: number;
  /**
   * Give stream credit back as soon as a batch was handed to `onEvents` (default true). Turn it
   * off when the host logic calls `grantCredit` itself once the consumer took the chunks.
   */
  readonly autoCredit?: boolean;
  /** How long a plugin thread waits for get_app_config/call_other_plugin (default `LIMITS.requestTimeoutMs` → TIMEOUT). */
  readonly requestTimeoutMs?: number;
  /** How long destroy/close wait for plugin threads still inside host calls (default 5 s). */
  readonly destroyGraceMs?: number;
  /** Where and with what the native runtime is built. */
  readonly native?: NativeBuildOptions;
}

/**
 * Runs plugin libraries inside this process through koffi and the native runtime shim. A crash
 * in a plugin kills the process; use the isolated driver for untrusted plugins.
 */
export class InProcessDriver implements PluginDriver {
  readonly kind = 'in-process' as const;
  private readonly libraries = new Set<InProcessLibrary>();
  private readonly settings: LibrarySettings;
  private closed = false;

  constructor(private readonly options: InProcessDriverOptions = {}) {
    this.settings = {
      creditWindow: options.creditWindow ?? LIMITS.streamCreditWindow,
      autoCredit: options.autoCredit ?? true,
      requestTimeoutMs: options.requestTimeoutMs ?? LIMITS.requestTimeoutMs,
      destroyGraceMs: options.destroyGraceMs ?? 5_000,
    };
  }

  /** Verify and load a library; `options.sha256` is checked against the bytes actually mapped. */
  async loadLibrary(
    path: string,
    hooks: DriverHooks,
    options: LibraryLoadOptions = {},
  ): Promise<InProcessLibrary> {
    if (this.closed) throw new HostError('HOST_CLOSED', 'The in-process driver is closed.');
    const rt = loadNativeRuntime(this.options.native);
    const loaded = loadPluginLibrary(path, rt, options);
    const lib = new InProcessLibrary(loaded, rt, hooks, this.settings, (l) => this.libraries.delete(l));
    this.libraries.add(lib);
    return lib;
  }

  /** Destroy every instance, then close every library. */
  async close(): Promise<void> {
    this.closed = true;
    for (const lib of [...this.libraries]) {
      for (const i of [...lib.instances]) await i.destroy();
      await lib.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
