import { type PluginClient, PluginClientProvider, useSnapshot } from '@plugin-interfaces/ui-react';
import { type ReactNode, useState } from 'react';
import type { FrameLog } from './connection/frame-log.js';
import { AppConfigEditor } from './panels/AppConfigEditor.js';
import { ConnectionIndicator } from './panels/ConnectionIndicator.js';
import { EventInspector } from './panels/EventInspector.js';
import { InstanceTabs } from './panels/InstanceTabs.js';
import { PluginList } from './panels/PluginList.js';
import { ThemeToggle } from './panels/ThemeToggle.js';

/** Props of {@link App}. */
export interface AppProps {
  readonly client: PluginClient;
  readonly frames: FrameLog;
}

/** The playground page: plugins on the left, instances in the middle, inspector and config on the right. */
export function App({ client, frames }: AppProps): ReactNode {
  return (
    <PluginClientProvider client={client}>
      <Layout frames={frames} />
    </PluginClientProvider>
  );
}

function Layout({ frames }: { readonly frames: FrameLog }): ReactNode {
  const snapshot = useSnapshot();
  const [selected, setSelected] = useState<string | null>(null);
  const current = snapshot.instances.some((i) => i.instance_id === selected)
    ? selected
    : (snapshot.instances[0]?.instance_id ?? null);
  return (
    <div className="pg-app">
      <header className="pg-header">
        <h1>Plugin playground</h1>
        <ConnectionIndicator />
        <ThemeToggle />
      </header>
      <aside className="pg-sidebar" aria-label="Plugins">
        <PluginList onLoaded={setSelected} />
      </aside>
      <main className="pg-main">
        <InstanceTabs selected={current} onSelect={setSelected} />
      </main>
      <aside className="pg-tools" aria-label="Tools">
        <EventInspector frames={frames} />
        <AppConfigEditor />
      </aside>
    </div>
  );
}
