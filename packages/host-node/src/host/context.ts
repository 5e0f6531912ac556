import type { FrontendEvent, LifecycleState, LogLevel } from '@plugin-interfaces/spec';
import { validators } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { PluginBudgets } from './budget.js';
import { HostEmitter } from './emitter.js';
import type { EventBuffer } from './event-iterator.js';
import type { HostInstance } from './instance.js';
import type { AppConfigProvider, EntryTimeouts, HostLimits, HostLogger } from './options.js';
import { redactFor, scrubError } from './secrets.js';

/** The `plugin_id`/`instance_id`/`timestamp` every frontend event payload starts with. */
export function who(instance: HostInstance): { plugin_id: string; instance_id: string; timestamp: number } {
  return { plugin_id: instance.pluginId, instance_id: instance.id, timestamp: Date.now() };
}

/**
 * State shared by the host's parts: the instances, the event fan-out (listeners and iterators,
 * with stream-credit accounting) and the logger. Internal; `PluginHost` is the public face.
 */
export class HostContext {
  readonly instances = new Map<string, HostInstance>();
  /** Instance ids reserved by a `load` whose library is still loading (shown as `loading`). */
  readonly loading = new Map<string, { readonly id: string; readonly pluginId: string }>();
  /** The byte budget of each plugin (`limits.maxPluginBytes`). */
  readonly budgets: PluginBudgets;
  readonly emitter: HostEmitter;
  readonly iterators = new Set<EventBuffer>();
  readonly #credit = new Map<HostInstance, Map<string, number>>();
  #creditFlush = false;

  constructor(
    readonly logger: HostLogger,
    readonly appConfig: AppConfigProvider,
    readonly timeouts: EntryTimeouts,
    readonly limits: HostLimits,
    readonly creditMode: 'consumed' | 'emitted',
  ) {
    this.budgets = new PluginBudgets(limits.maxPluginBytes);
    this.emitter = new HostEmitter((error, event) =>
      this.logger.log('error', `A listener for ${event.event} threw: ${String(error)}`, { error }),
    );
  }

  /** Log with the instance's plugin and instance id. */
  log(level: LogLevel, message: string, instance?: HostInstance, fields: Record<string, unknown> = {}): void {
    const base = instance === undefined ? {} : { pluginId: instance.pluginId, instanceId: instance.id };
    const text = instance === undefined ? message : redactFor(instance, message);
    this.logger.log(level, text, { ...base, ...fields });
  }

  /**
   * Validate and deliver one event to listeners and iterators. `release` runs when every
   * consumer took it (see `streamCredit`). An event failing the schema is a host bug: it is
   * logged and dropped, never sent.
   */
  emit(event: FrontendEvent, release?: () => void): void {
    const valid: boolean = validators.frontendEvent.check(event);
    if (!valid) {
      const problems = validators.frontendEvent.errors(event, 5);
      this.logger.log(
        'error',
        `Dropped an invalid ${event.event} event (host bug): ${problems.join('; ')}`,
        {},
      );
      release?.();
      return;
    }
    let holds = 1;
    const done = release === undefined ? undefined : () => --holds === 0 && release();
    for (const it of this.iterators) {
      if (done !== undefined && this.creditMode === 'consumed') {
        holds++;
        it.push(event, done);
      } else it.push(event);
    }
    this.emitter.emit(event);
    done?.();
  }

  /** Set the lifecycle state and emit plugin-status. */
  setState(instance: HostInstance, state: LifecycleState, failure?: HostError): void {
    const error = failure === undefined ? undefined : scrubError(instance, failure);
    instance.state = state;
    if (error !== undefined) {
      instance.error = error.toInfo();
      instance.errorFromFrame = false;
    }
    const payload =
      error === undefined ? { ...who(instance), state } : { ...who(instance), state, error: error.toInfo() };
    this.emit({ event: 'plugin-status', payload });
  }

  /** Give one chunk of credit back to a stream's producer (batched per microtask). */
  credit(instance: HostInstance, streamId: string): void {
    let streams = this.#credit.get(instance);
    if (streams === undefined) {
      streams = new Map();
      this.#credit.set(instance, streams);
    }
    streams.set(streamId, (streams.get(streamId) ?? 0) + 1);
    if (this.#creditFlush) return;
    this.#creditFlush = true;
    queueMicrotask(() => {
      this.#creditFlush = false;
      const all = [...this.#credit];
      this.#credit.clear();
      for (const [inst, byStream] of all) {
        if (inst.driver === null || inst.state === 'destroyed') continue;
        for (const [id, n] of byStream) {
          try {
            inst.driver.grantCredit(id, n);
          } catch (e) {
            this.log('warn', `grantCredit(${id}, ${n}) failed: ${String(e)}`, inst);
          }
        }
      }
    });
  }

  /** The instance with this id, or PLUGIN_NOT_FOUND. */
  get(instanceId: string): HostInstance {
    const instance = this.instances.get(instanceId);
    if (instance === undefined || instance.driver === null) {
      const loading = this.loading.has(instanceId) || instance !== undefined;
      throw new HostError(
        'PLUGIN_NOT_FOUND',
        loading
          ? `Instance "${instanceId}" is still loading; wait for load() to finish.`
          : `No instance "${instanceId}" is loaded; load() it first (loaded: ${[...this.instances.keys()].join(', ') || 'none'}).`,
        { instanceId, detail: { loading } },
      );
    }
    return instance;
  }
}
