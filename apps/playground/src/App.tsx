import type { InstanceInfo } from '@plugin-interfaces/spec';
import {
  type PluginClient,
  PluginClientProvider,
  useConnectionStatus,
  usePluginClient,
  useSnapshot,
} from '@plugin-interfaces/ui-react';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { FrameLog } from './connection/frame-log.js';
import type { LogStore } from './connection/plugin-logs.js';
import { AppConfigEditor } from './panels/AppConfigEditor.js';
import { ConnectionIndicator } from './panels/ConnectionIndicator.js';
import { EventInspector } from './panels/EventInspector.js';
import { InstanceTabs } from './panels/InstanceTabs.js';
import { LogPanel } from './panels/LogPanel.js';
import { PluginList } from './panels/PluginList.js';
import { ThemeToggle } from './panels/ThemeToggle.js';
import { ToolTabs } from './panels/ToolTabs.js';
import { readSelection, type Selection, selectionUrl, type ToolTab } from './url-state.js';

/** Props of {@link App}. */
export interface AppProps {
  readonly client: PluginClient;
  readonly frames: FrameLog;
  readonly logs: LogStore;
}

/** The playground page: plugins on the left, instances in the middle, inspector, log and config on the right. */
export function App({ client, frames, logs }: AppProps): ReactNode {
  return (
    <PluginClientProvider client={client}>
      <Layout frames={frames} logs={logs} />
    </PluginClientProvider>
  );
}

/**
 * The instances in a stable tab order: the order they first appeared in. An instance that
 * disappears for a moment (a reload re-creates it with the same id) keeps its place.
 */
function useStableOrder(instances: readonly InstanceInfo[]): readonly InstanceInfo[] {
  const order = useRef(new Map<string, number>());
  for (const i of instances)
    if (!order.current.has(i.instance_id)) order.current.set(i.instance_id, order.current.size);
  return [...instances].sort(
    (a, b) => (order.current.get(a.instance_id) ?? 0) - (order.current.get(b.instance_id) ?? 0),
  );
}

function Layout({ frames, logs }: { readonly frames: FrameLog; readonly logs: LogStore }): ReactNode {
  const snapshot = useSnapshot();
  const status = useConnectionStatus();
  const [selection, setSelection] = useState<Selection>(() => readSelection(location.href));
  const instances = useStableOrder(snapshot.instances);
  const current = instances.some((i) => i.instance_id === selection.instance)
    ? selection.instance
    : (instances[0]?.instance_id ?? null);

  useEffect(() => {
    const next = selectionUrl(location.href, { ...selection, instance: current });
    if (next !== location.href) history.replaceState(history.state, '', next);
  }, [selection, current]);

  const client = usePluginClient();
  const selectInstance = useCallback(
    (instanceId: string) =>
      setSelection((s) => {
        // The instance's plugin; one just loaded may not be in the snapshot yet (ids the page
        // makes are `<plugin>-<8 hex>`).
        const known = client.snapshot().instances.find((i) => i.instance_id === instanceId)?.plugin_id;
        const plugin = known ?? (/^(.+)-[0-9a-f]{8}$/.exec(instanceId)?.[1] || s.plugin);
        return { ...s, instance: instanceId, plugin };
      }),
    [client],
  );
  const selectPlugin = useCallback((plugin: string) => setSelection((s) => ({ ...s, plugin })), []);
  const selectTool = useCallback((tool: ToolTab) => setSelection((s) => ({ ...s, tool })), []);

  return (
    <div className="pg-app">
      <a className="pg-skip" href="#pg-main">
        Skip to the instances
      </a>
      <header className="pg-header">
        <h1>Plugin playground</h1>
        <ConnectionIndicator />
        <ThemeToggle />
      </header>
      {status !== 'open' && (
        <p className="pg-offline" role="alert">
          Not connected to the plugin host (it may be restarting). The page reconnects by itself and then
          shows the host's current state; until then what you see may be out of date.
        </p>
      )}
      <aside className="pg-sidebar" aria-label="Plugins">
        <PluginList
          onLoaded={selectInstance}
          selected={selection.plugin}
          onSelect={selectPlugin}
          logs={logs}
        />
      </aside>
      <main className="pg-main" id="pg-main" tabIndex={-1}>
        <InstanceTabs instances={instances} selected={current} onSelect={selectInstance} />
      </main>
      <aside className="pg-tools" aria-label="Tools">
        <ToolTabs selected={selection.tool} onSelect={selectTool}>
          {selection.tool === 'inspector' && <EventInspector frames={frames} />}
          {selection.tool === 'logs' && <LogPanel logs={logs} />}
          {selection.tool === 'config' && <AppConfigEditor />}
        </ToolTabs>
      </aside>
    </div>
  );
}
