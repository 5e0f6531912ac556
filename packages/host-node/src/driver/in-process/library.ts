import { HostError } from '../../errors.js';
import type { NativeRuntime } from '../../native/runtime.js';
import type { CallOptions, DriverHooks, DriverLibrary, InstanceMetadata, LibraryInfo } from '../types.js';
import { InProcessInstance, type InstanceSettings } from './in-process-instance.js';
import type { VerifiedLibrary } from './loader.js';
import { buildMetadata } from './metadata.js';
import { removeShadowCopy } from './shadow.js';

/** Closed libraries: referenced so their code is never unmapped while the process runs. */
const MAPPED_FOREVER: VerifiedLibrary['handle'][] = [];

/** Per-library settings of the in-process driver. */
export interface LibrarySettings extends InstanceSettings {
  readonly creditWindow: number;
  readonly requestTimeoutMs: number;
}

/**
 * One loaded plugin library. Creates instances (one native runtime instance each, whose
 * PiHostApi the plugin keeps); closing refuses while instances live, waits for host calls still
 * in flight from lingering plugin threads, then deletes the shadow copy. The code itself stays
 * mapped until the process exits (see close()).
 */
export class InProcessLibrary implements DriverLibrary {
  private readonly live = new Set<InProcessInstance>();
  /** Native instances of destroyed plugin instances; unloading waits until none is in a host call. */
  private readonly retired: bigint[] = [];
  private closed = false;

  constructor(
    private readonly loaded: VerifiedLibrary,
    private readonly rt: NativeRuntime,
    private readonly hooks: DriverHooks,
    private readonly settings: LibrarySettings,
    private readonly onClosed: (lib: InProcessLibrary) => void,
  ) {}

  get info(): LibraryInfo {
    return this.loaded.info;
  }

  /** The koffi handle of the loaded shadow copy (diagnostics and tests: call the plugin's own exports). */
  get nativeHandle(): VerifiedLibrary['handle'] {
    return this.loaded.handle;
  }

  /** Instances not yet destroyed. */
  get instances(): ReadonlySet<InProcessInstance> {
    return this.live;
  }

  async createInstance(meta: InstanceMetadata, options?: CallOptions): Promise<InProcessInstance> {
    if (this.closed) throw new HostError('LIFECYCLE_ORDER', `${this.info.path} is closed; load it again.`);
    if (options?.signal?.aborted)
      throw new HostError('CANCELLED', `Creating ${meta.instanceId} was cancelled.`);
    const native = this.rt.instanceNew(this.settings.creditWindow, this.settings.requestTimeoutMs);
    if (!native) throw new HostError('INTERNAL', 'The native runtime is out of memory.');
    const instance = new InProcessInstance(
      meta.instanceId,
      this.rt,
      native,
      this.hooks,
      this.settings,
      (i) => {
        this.live.delete(i);
        this.retired.push(i.inst);
      },
    );
    const m = buildMetadata(this.rt, meta);
    let outcome: ReturnType<InProcessInstance['create']>;
    try {
      outcome = instance.create(this.loaded.vtable, m.buffer);
    } finally {
      m.free();
    }
    if (!outcome.ok) {
      instance.pump.close();
      this.rt.close(native);
      this.rt.release(native);
      this.retired.push(native);
      throw new HostError(
        'CREATE_FAILED',
        `${meta.id}: create failed for instance ${meta.instanceId}: ${outcome.message}`,
        {
          pluginId: meta.id,
          instanceId: meta.instanceId,
          detail: outcome,
          retryable: outcome.retryable,
        },
      );
    }
    this.live.add(instance);
    return instance;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.live.size > 0) {
      throw new HostError(
        'LIFECYCLE_ORDER',
        `${this.info.path} still has ${this.live.size} instance(s); destroy them before closing the library.`,
      );
    }
    const deadline = Date.now() + this.settings.destroyGraceMs;
    while (this.retired.some((i) => this.rt.inflight(i) > 0)) {
      if (Date.now() > deadline) {
        throw new HostError(
          'TIMEOUT',
          `${this.info.path}: plugin threads are still inside host calls; not unloading it.`,
          {
            retryable: true,
          },
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    this.closed = true;
    // The code stays mapped: a plugin thread that outlives destroy (a plugin bug the host cannot
    // see) would crash the whole process if its code were unmapped under it. Only the shadow file
    // goes; a reload maps a fresh copy. Isolated mode ends such threads with the child process.
    MAPPED_FOREVER.push(this.loaded.handle);
    removeShadowCopy(this.loaded.shadowPath);
    this.onClosed(this);
  }
}
