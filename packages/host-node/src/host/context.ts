import type { FrontendEvent, LogLevel } from '@plugin-interfaces/spec';
import { LIMITS, validators } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { HostEmitter } from './events/emitter.js';
import type { EventBuffer } from './events/event-iterator.js';
import type { HostInstance } from './instance/host-instance.js';
import type { LoadingInstance } from './instance/loading-instance.js';
import { type InstanceRef, redactFor } from './instance/secrets.js';
import type { CreditAccount } from './instance/streams.js';
import type { AppConfigProvider, EntryTimeouts, HostLimits, HostLogger } from './options.js';
import { PluginBudgets } from './plugins/budget.js';

/** Chunks of credit owed to one stream that are granted at once, without waiting for the batch to end. */
const CREDIT_SLICE = Math.max(1, Math.floor(LIMITS.streamCreditWindow / 2));

/**
 * State shared by the host's parts: the instances, the event fan-out (listeners and iterators,
 * with stream-credit accounting) and the logger. Internal; `PluginHost` is the public face.
 */
export class HostContext {
  /** Instances whose driver instance exists (nothing half-built: see `create-instance.ts`). */
  readonly instances = new Map<string, HostInstance>();
  /** Instance ids reserved by a `load` that has not finished (shown as `loading`). */
  readonly loading = new Map<string, LoadingInstance>();
  /** The byte budget of each plugin (`limits.maxPluginBytes`). */
  readonly budgets: PluginBudgets;
  readonly emitter: HostEmitter;
  readonly iterators = new Set<EventBuffer>();
  /** Streams owed credit (`record.owed` > 0), with their instances, in the order they became owed. */
  #owedBy: HostInstance[] = [];
  #owed: CreditAccount[] = [];
  #grantQueued = false;

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

  /** Log with the instance's plugin and instance id (its secret values redacted). */
  log(level: LogLevel, message: string, instance?: InstanceRef, fields: Record<string, unknown> = {}): void {
    const base = instance === undefined ? {} : { pluginId: instance.pluginId, instanceId: instance.id };
    const text = instance === undefined ? message : redactFor(instance, message);
    this.logger.log(level, text, { ...base, ...fields });
  }

  /** True when a listener or an iterator would receive an event of this name (build it only then). */
  wants(name: FrontendEvent['event']): boolean {
    return this.iterators.size !== 0 || this.emitter.has(name);
  }

  /**
   * Validate and deliver one event to listeners and iterators. `release` runs when every
   * consumer took it (see `streamCredit`). An event failing the schema is a host bug: it is
   * logged and dropped, never sent. An event no listener or iterator would receive is skipped
   * before the check.
   */
  emit(event: FrontendEvent, release?: () => void): void {
    if (this.iterators.size === 0 && !this.emitter.has(event.event)) {
      // Nobody would receive it: nothing is sent, so there is nothing to check.
      release?.();
      return;
    }
    const valid: boolean = validators.frontendEvent.check(event);
    if (!valid) {
      this.dropInvalid(event.event, validators.frontendEvent.errors(event, 5));
      release?.();
      return;
    }
    this.deliver(event, release);
  }

  /** Log an event that failed the schema (a host bug); it is not sent. */
  dropInvalid(name: FrontendEvent['event'], problems: readonly string[]): void {
    this.logger.log('error', `Dropped an invalid ${name} event (host bug): ${problems.join('; ')}`, {});
  }

  /**
   * Deliver an event already checked against the schema (by `emit`, or by `chunkEvent` for stream
   * chunks): to every iterator, then to the listeners. With `streamCredit: 'consumed'`, `release`
   * runs once the listeners ran and every iterator took the event; with `'emitted'`, after the
   * listeners. No closure is made unless two or more iterators share the event.
   */
  deliver(event: FrontendEvent, release?: () => void): void {
    const iterators = this.iterators;
    if (release === undefined || iterators.size === 0 || this.creditMode === 'emitted') {
      for (const it of iterators) it.push(event);
      this.emitter.emit(event);
      release?.();
      return;
    }
    if (iterators.size === 1) {
      // The listeners run synchronously below, so the iterator taking the event is the last hold.
      for (const it of iterators) it.push(event, release);
      this.emitter.emit(event);
      return;
    }
    let holds = 1;
    const done = () => --holds === 0 && release();
    for (const it of iterators) {
      holds++;
      it.push(event, done);
    }
    this.emitter.emit(event);
    done();
  }

  /**
   * Give one chunk of credit back to a stream's producer. Credit is batched: the chunks owed are
   * counted on the stream's account (its record) and granted by {@link grantOwed}, one driver call
   * per stream: whenever a stream is owed a quarter of the default credit window (so the producer
   * refills while the host still drains), after each drain (see {@link grantSoon}), and when an
   * `events()` iterator ran empty or ended.
   */
  credit(instance: HostInstance, record: CreditAccount): void {
    if (record.owed++ === 0) {
      this.#owedBy.push(instance);
      this.#owed.push(record);
    }
    // A consumer taking buffered chunks one by one returns credit in slices, so the producer
    // refills while the consumer still works through the rest.
    if (record.owed >= CREDIT_SLICE) this.grantOwed();
  }

  /**
   * Grant what is still owed once the current drain is over (one microtask, however many batches
   * ask). Called at the end of every plugin event batch: a busy stream was already granted in
   * slices while it was drained, so this costs at most one driver call per stream per drain.
   */
  grantSoon(): void {
    if (this.#grantQueued) return;
    this.#grantQueued = true;
    queueMicrotask(() => {
      this.#grantQueued = false;
      this.grantOwed();
    });
  }

  /** Grant the credit owed now, one driver call per stream owed any. */
  grantOwed(): void {
    if (this.#owed.length === 0) return;
    const instances = this.#owedBy;
    const records = this.#owed;
    this.#owedBy = [];
    this.#owed = [];
    for (let i = 0; i < records.length; i++) {
      const inst = instances[i] as HostInstance;
      const record = records[i] as CreditAccount;
      const n = record.owed;
      record.owed = 0;
      if (inst.state === 'destroyed') continue;
      try {
        inst.driver.grantCredit(record.driverId ?? record.streamId, n);
      } catch (e) {
        this.log('warn', `grantCredit(${record.streamId}, ${n}) failed: ${String(e)}`, inst);
      }
    }
  }

  /** The instance with this id, or PLUGIN_NOT_FOUND. */
  get(instanceId: string): HostInstance {
    const instance = this.instances.get(instanceId);
    if (instance === undefined) {
      const loading = this.loading.has(instanceId);
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
