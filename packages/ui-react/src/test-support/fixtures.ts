import type {
  FrontendEvent,
  InstanceInfo,
  PluginStreamPayload,
  Snapshot,
  UiTree,
} from '@plugin-interfaces/spec';
import { emptyInstance } from '../state.js';

export const who = { plugin_id: 'echo', instance_id: 'echo-1', timestamp: 1_700_000_000_000 } as const;

export function instance(overrides: Partial<InstanceInfo> = {}): InstanceInfo {
  return { ...emptyInstance('echo', 'echo-1'), state: 'connected', ...overrides };
}

export function snapshotWith(...instances: InstanceInfo[]): Snapshot {
  return {
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
    instances,
    app_config: {},
  };
}

export function message(id: string, content: string): FrontendEvent {
  return {
    event: 'plugin-message',
    payload: { ...who, message_type: 'success', message_id: id, content },
  };
}

type StreamPayloadFor<T extends PluginStreamPayload['type']> = Extract<PluginStreamPayload, { type: T }>;

export function stream<T extends PluginStreamPayload['type']>(
  type: T,
  data: StreamPayloadFor<T>['data'],
): FrontendEvent {
  const payload = { ...who, type, data } as StreamPayloadFor<T>;
  return { event: 'plugin-stream', payload };
}

export function uiUpdated(revision: number, tree: UiTree): FrontendEvent {
  return { event: 'plugin-ui-updated', payload: { ...who, revision, tree } };
}
