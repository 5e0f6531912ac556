import type { PluginHost } from '@plugin-interfaces/host-node';
import type { BridgeHost } from '@plugin-interfaces/host-node/bridge';
import type { FrontendEvent } from '@plugin-interfaces/spec';

/** The bridge's view of the host, plus a way to send the page events of the playground's own. */
export interface PlaygroundBridgeHost {
  readonly host: BridgeHost;
  /** Send an event to every page as if the host had emitted it (e.g. a watch-mode notice). */
  emit(event: FrontendEvent): void;
}

/**
 * The host as the bridge sees it, telling `changed` after every request that changes what a
 * restart restores (instances, connections, settings, app config), so the session is saved.
 * Its event subscription also delivers the events passed to `emit`.
 */
export function sessionAwareHost(
  host: PluginHost,
  changed: () => void,
  /** Ops the playground answers itself (e.g. `processInfo`). */
  ownOps: Readonly<Record<string, unknown>> = {},
): PlaygroundBridgeHost {
  const extra = new Set<(event: FrontendEvent) => void>();
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R> | R) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } finally {
        changed();
      }
    };
  /** The ops that change what a restart restores, and the event subscription; the rest pass through. */
  const overrides: Record<string, unknown> = {
    ...ownOps,
    load: after((pluginId: string, options?: { instanceId?: string; settings?: Record<string, unknown> }) =>
      host.load(pluginId, options),
    ),
    unload: after((id: string) => host.unload(id)),
    reload: after((pluginId: string) => host.reload(pluginId)),
    connect: after((id: string) => host.connect(id)),
    disconnect: after((id: string) => host.disconnect(id)),
    setAppConfig: after((key: string, value: unknown) => host.setAppConfig(key, value)),
    setSettings: after((id: string, settings: Record<string, unknown>) => host.setSettings(id, settings)),
    on: (name: '*', listener: (event: FrontendEvent) => void) => {
      extra.add(listener);
      const off = host.on(name, listener);
      return () => {
        extra.delete(listener);
        off();
      };
    },
    off: (name: '*', listener: (event: FrontendEvent) => void) => {
      extra.delete(listener);
      host.off(name, listener);
    },
  };
  // Everything else (snapshot, messages, UI events, history pages, new ops) goes to the host,
  // bound to it so its private state stays reachable.
  const bridgeHost: BridgeHost = new Proxy(host, {
    get(target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop];
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    host: bridgeHost,
    emit: (event) => {
      for (const l of [...extra]) l(event);
    },
  };
}
