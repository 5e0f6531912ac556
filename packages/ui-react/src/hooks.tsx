import type { InstanceInfo, Snapshot } from '@plugin-interfaces/spec';
import { createContext, type ReactNode, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ConnectionStatus, PluginClient } from './client.js';

const ClientContext = createContext<PluginClient | null>(null);

/** Props of {@link PluginClientProvider}. */
export interface PluginClientProviderProps {
  readonly client: PluginClient;
  readonly children?: ReactNode;
}

/** Makes one {@link PluginClient} available to every hook and component below it. */
export function PluginClientProvider({ client, children }: PluginClientProviderProps): ReactNode {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The client from the nearest {@link PluginClientProvider}; throws when there is none. */
export function usePluginClient(): PluginClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('usePluginClient must be used inside <PluginClientProvider>.');
  return client;
}

function useClientStore<T>(read: (client: PluginClient) => T): T {
  const client = usePluginClient();
  const subscribe = useCallback((onChange: () => void) => client.subscribe(() => onChange()), [client]);
  return useSyncExternalStore(
    subscribe,
    () => read(client),
    () => read(client),
  );
}

const readSnapshot = (client: PluginClient): Snapshot => client.snapshot();
const readStatus = (client: PluginClient): ConnectionStatus => client.status;

/** The client's current snapshot; re-renders when it changes. */
export function useSnapshot(): Snapshot {
  return useClientStore(readSnapshot);
}

/** The connection status of the client; re-renders when it changes. */
export function useConnectionStatus(): ConnectionStatus {
  return useClientStore(readStatus);
}

/** One instance of the current snapshot, or `undefined` while the host does not know it. */
export function useInstance(instanceId: string): InstanceInfo | undefined {
  return useSnapshot().instances.find((i) => i.instance_id === instanceId);
}
