import type { FrontendEvent, Snapshot, UiEvent } from '@plugin-interfaces/spec';
import type { BridgeHost, BridgeStreamControl } from '../../../src/bridge/host-port.js';
import { HostError } from '../../../src/errors.js';

/** A recorded call to the fake host. */
export interface FakeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * An in-memory {@link BridgeHost} for bridge tests: answers every op, records the calls, throws a
 * `PLUGIN_NOT_FOUND` HostError for instance ids starting with `missing`, and lets a test emit events.
 */
export class FakeHost implements BridgeHost {
  readonly calls: FakeCall[] = [];
  private readonly listeners = new Set<(event: FrontendEvent) => void>();

  constructor(
    readonly state: Snapshot = {
      plugins: [
        {
          id: 'echo',
          name: 'Echo',
          version: '1.0.0',
          description: 'Echoes',
          dir: '/plugins/echo',
          status: 'ready',
          require_history: false,
        },
      ],
      instances: [],
      app_config: {},
    },
  ) {}

  /** Deliver one event to every subscriber, synchronously. */
  emit(event: FrontendEvent): void {
    for (const l of this.listeners) l(event);
  }

  subscribe(listener: (event: FrontendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Snapshot {
    return this.state;
  }
  rescan(): Snapshot {
    return this.record('rescan', [], this.state);
  }
  load(pluginId: string, options?: { instanceId?: string }): { instance_id: string } {
    return this.record('load', [pluginId, options], { instance_id: options?.instanceId ?? `${pluginId}-1` });
  }
  unload(instanceId: string): null {
    return this.record('unload', [instanceId], this.known(instanceId));
  }
  reload(pluginId: string): null {
    return this.record('reload', [pluginId], null);
  }
  connect(instanceId: string): null {
    return this.record('connect', [instanceId], this.known(instanceId));
  }
  disconnect(instanceId: string): null {
    return this.record('disconnect', [instanceId], this.known(instanceId));
  }
  async handleMessage(instanceId: string, text: string): Promise<{ requestId: string; reply: string }> {
    this.known(instanceId);
    return this.record('handleMessage', [instanceId, text], { requestId: 'r1', reply: `Echo: ${text}` });
  }
  history(instanceId: string, query: { before?: string; limit?: number }) {
    this.known(instanceId);
    const messages = [
      {
        id: 'h1',
        type: 'normal',
        status: 'completed',
        content: 'hi',
        pluginId: 'echo',
        role: 'user',
        createdAt: new Date(0).toISOString(),
      },
    ];
    return this.record('history', [instanceId, query], { messages, more: 0, dropped: 0 });
  }
  dispatchUiEvent(instanceId: string, event: UiEvent): null {
    return this.record('dispatchUiEvent', [instanceId, event], this.known(instanceId));
  }
  controlStream(instanceId: string, streamId: string, control: BridgeStreamControl): null {
    return this.record('controlStream', [instanceId, streamId, control], this.known(instanceId));
  }
  setAppConfig(key: string, value: unknown): null {
    return this.record('setAppConfig', [key, value], null);
  }
  setSettings(instanceId: string, settings: Record<string, unknown>): null {
    return this.record('setSettings', [instanceId, settings], this.known(instanceId));
  }

  private known(instanceId: string): null {
    if (instanceId.startsWith('missing'))
      throw new HostError('PLUGIN_NOT_FOUND', `No instance "${instanceId}" is loaded.`, { instanceId });
    return null;
  }

  private record<T>(method: string, args: readonly unknown[], value: T): T {
    this.calls.push({ method, args });
    return value;
  }
}
