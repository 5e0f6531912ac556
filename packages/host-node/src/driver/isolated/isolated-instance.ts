import type { UiEvent } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type {
  CallOptions,
  CallOutcome,
  DriverInstance,
  FrameOutcome,
  LifecycleEntry,
  MessageOutcome,
} from '../types.js';
import { assertPayloadSize, checkFrameTree, type IsolationLimits } from './limits.js';
import type { Supervisor } from './supervisor.js';

/**
 * One instance living in a plugin process. The object survives restarts: after a crash the
 * supervisor re-creates the instance in the new process (same id, same metadata) and calls work
 * again once the `restarted` fault arrives; until then they reject with PLUGIN_CRASHED.
 */
export class IsolatedInstance implements DriverInstance {
  readonly instanceId: string;
  readonly #sup: Supervisor;
  readonly #limits: IsolationLimits;
  #destroyed = false;

  constructor(instanceId: string, sup: Supervisor, limits: IsolationLimits) {
    this.instanceId = instanceId;
    this.#sup = sup;
    this.#limits = limits;
  }

  #generation(label: string): number {
    if (this.#destroyed) {
      throw new HostError(
        'LIFECYCLE_ORDER',
        `Instance ${this.instanceId} of plugin ${this.#sup.pluginId} is destroyed; ${label} refused.`,
        {
          pluginId: this.#sup.pluginId,
          instanceId: this.instanceId,
        },
      );
    }
    const g = this.#sup.generationOf(this.instanceId);
    if (g === undefined) {
      throw new HostError(
        'PLUGIN_CRASHED',
        `Instance ${this.instanceId} of plugin ${this.#sup.pluginId} was lost in a crash and could not be re-created.`,
        {
          pluginId: this.#sup.pluginId,
          instanceId: this.instanceId,
        },
      );
    }
    return g;
  }

  async lifecycle(entry: LifecycleEntry, options?: CallOptions): Promise<CallOutcome> {
    const label = `${entry}(${this.instanceId})`;
    return this.#sup.call(
      'lifecycle',
      { instanceId: this.instanceId, entry },
      options,
      label,
      this.#generation(label),
    );
  }

  async updateUi(events: readonly UiEvent[], options?: CallOptions): Promise<FrameOutcome> {
    const label = `update_ui(${this.instanceId})`;
    assertPayloadSize(JSON.stringify(events), this.#limits, 'The UI events', this.#sup.pluginId);
    const out = await this.#sup.call(
      'updateUi',
      { instanceId: this.instanceId, events },
      options,
      label,
      this.#generation(label),
    );
    if (!out.ok) return out;
    return { ok: true, tree: checkFrameTree(out.tree, this.#sup.pluginId) };
  }

  async handleMessage(requestId: number, message: string, options?: CallOptions): Promise<MessageOutcome> {
    const label = `handle_message(${this.instanceId}, request ${requestId})`;
    assertPayloadSize(message, this.#limits, 'The message', this.#sup.pluginId);
    const out = await this.#sup.call(
      'handleMessage',
      { instanceId: this.instanceId, requestId, message },
      options,
      label,
      this.#generation(label),
    );
    if (out.ok && !out.pending) assertPayloadSize(out.reply, this.#limits, 'The reply', this.#sup.pluginId);
    return out;
  }

  async sendJson(
    entry: 'set_history' | 'apply_settings',
    json: string | null,
    options?: CallOptions,
  ): Promise<CallOutcome> {
    const label = `${entry}(${this.instanceId})`;
    assertPayloadSize(
      json,
      this.#limits,
      entry === 'set_history' ? 'The history' : 'The settings',
      this.#sup.pluginId,
    );
    return this.#sup.call(
      'sendJson',
      { instanceId: this.instanceId, entry, json },
      options,
      label,
      this.#generation(label),
    );
  }

  async controlStream(streamId: string, control: 'pause' | 'resume' | 'cancel'): Promise<CallOutcome> {
    const label = `stream_control(${this.instanceId}, ${streamId}, ${control})`;
    return this.#sup.call(
      'controlStream',
      { instanceId: this.instanceId, streamId, control },
      undefined,
      label,
      this.#generation(label),
    );
  }

  grantCredit(streamId: string, chunks: number): void {
    if (this.#destroyed || !Number.isInteger(chunks) || chunks <= 0) return;
    this.#sup.notify({ t: 'credit', instanceId: this.instanceId, streamId, chunks });
  }

  async destroy(options?: CallOptions): Promise<void> {
    if (this.#destroyed) return;
    const label = `destroy(${this.instanceId})`;
    const generation = this.#sup.generationOf(this.instanceId);
    this.#destroyed = true;
    this.#sup.forget(this.instanceId);
    // Nothing to destroy when the instance was lost with its process, or the plugin is disabled.
    if (generation === undefined || this.#sup.state !== 'running' || generation !== this.#sup.generation)
      return;
    await this.#sup.call('destroy', { instanceId: this.instanceId }, options, label, generation);
  }
}
