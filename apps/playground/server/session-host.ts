import type { PluginHost } from '@plugin-interfaces/host-node';
import type { BridgeHost } from '@plugin-interfaces/host-node/bridge';

/**
 * The host as the bridge sees it, telling `changed` after every request that changes what a
 * restart restores (instances, connections, settings, app config), so the session is saved.
 */
export function sessionAwareHost(host: PluginHost, changed: () => void): BridgeHost {
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R> | R) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } finally {
        changed();
      }
    };
  return {
    snapshot: () => host.snapshot(),
    rescan: () => host.rescan(),
    load: after((pluginId: string, options?: { instanceId?: string; settings?: Record<string, unknown> }) =>
      host.load(pluginId, options),
    ),
    unload: after((id: string) => host.unload(id)),
    reload: after((pluginId: string) => host.reload(pluginId)),
    connect: after((id: string) => host.connect(id)),
    disconnect: after((id: string) => host.disconnect(id)),
    handleMessage: (id, text) => host.handleMessage(id, text),
    dispatchUiEvent: (id, event) => host.dispatchUiEvent(id, event),
    controlStream: (id, stream, control) => host.controlStream(id, stream, control),
    setAppConfig: after((key: string, value: unknown) => host.setAppConfig(key, value)),
    setSettings: after((id: string, settings: Record<string, unknown>) => host.setSettings(id, settings)),
    on: (name, listener) => host.on(name, listener),
    off: (name, listener) => host.off(name, listener),
  };
}
