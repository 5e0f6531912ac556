import type { PluginInfo } from '@plugin-interfaces/spec';
import { usePluginClient, useSnapshot } from '@plugin-interfaces/ui-react';
import { type ReactNode, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { WATCH_INSTANCE } from '../../server/watch-notice.js';
import type { LogLine, LogStore } from '../connection/plugin-logs.js';
import { PAGE_LIMITS } from '../limits.js';
import { PluginItem } from './PluginItem.js';
import { useAction } from './use-action.js';
import { VirtualList } from './VirtualList.js';

/** Props of {@link PluginList}. */
export interface PluginListProps {
  /** Called with the id of an instance this list just loaded. */
  readonly onLoaded: (instanceId: string) => void;
  /** The plugin selected (e.g. by a deep link); it is scrolled into view and marked. */
  readonly selected: string | null;
  readonly onSelect: (pluginId: string) => void;
  /** The log store, for watch-mode notices (reloaded after a rebuild, or why not). */
  readonly logs: LogStore;
}

/** The newest watch-mode notice per plugin. */
function watchNotices(lines: readonly LogLine[]): ReadonlyMap<string, LogLine> {
  const out = new Map<string, LogLine>();
  for (const l of lines) if (l.instanceId === WATCH_INSTANCE) out.set(l.pluginId, l);
  return out;
}

/** True when the filter text is in the plugin's name, id or description (case-insensitive). */
export function matchesFilter(plugin: PluginInfo, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  return [plugin.name, plugin.id, plugin.description].some((s) => s.toLowerCase().includes(f));
}

/**
 * Every discovered plugin with its status, any config/load error or warning, and its lifecycle
 * buttons; a filter box, and a list that scrolls on its own (drawing only the rows in view when
 * there are many plugins). Rescan updates the open page at once.
 */
export function PluginList({ onLoaded, selected, onSelect, logs }: PluginListProps): ReactNode {
  const client = usePluginClient();
  const notices = watchNotices(useSyncExternalStore(logs.subscribe, logs.lines));
  const newest = Math.max(0, ...[...notices.values()].map((n) => n.seq));
  // A watch-mode reload changed plugins and instances behind the page's back: resync.
  useEffect(() => {
    if (newest > 0) client.request('snapshot', {}).catch(() => undefined);
  }, [newest, client]);
  const { plugins } = useSnapshot();
  const rescan = useAction();
  const [filter, setFilter] = useState('');
  const [found, setFound] = useState<string | null>(null);
  const filterId = useId();
  const shown = plugins.filter((p) => matchesFilter(p, filter));
  const onRescan = (): Promise<void> =>
    rescan.run(async () => {
      setFound(null);
      const before = new Set(plugins.map((p) => p.id));
      // The rescan result lists the plugins; the snapshot brings the whole page up to date.
      const after = (await client.request('rescan', {})) as readonly PluginInfo[];
      await client.request('snapshot', {});
      const added = after.filter((p) => !before.has(p.id)).length;
      setFound(`${after.length} plugins${added > 0 ? `, ${added} new` : ''}`);
    });
  return (
    <section className="pg-panel pg-plugin-panel" aria-labelledby="pg-plugins-title">
      <div className="pg-panel-head">
        <h2 id="pg-plugins-title">Plugins</h2>
        <span className="pg-meta">
          {filter.trim() === '' ? plugins.length : `${shown.length} of ${plugins.length}`}
        </span>
        <button type="button" className="pi-button" disabled={rescan.busy} onClick={() => void onRescan()}>
          Rescan
        </button>
      </div>
      {found !== null && (
        <p role="status" className="pg-hint">
          Rescanned: {found}.
        </p>
      )}
      {rescan.error !== null && (
        <p role="alert" className="pi-error">
          {rescan.error}
        </p>
      )}
      <label htmlFor={filterId} className="pi-visually-hidden">
        Filter plugins
      </label>
      <input
        id={filterId}
        type="search"
        className="pg-input"
        placeholder="Filter plugins by name, id or text"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {plugins.length === 0 && <p className="pg-hint">No plugins found.</p>}
      {plugins.length > 0 && shown.length === 0 && <p className="pg-hint">No plugin matches "{filter}".</p>}
      <VirtualList
        items={shown}
        keyOf={(p) => p.id}
        labelOf={(p) => p.name}
        label="Plugins"
        estimate={120}
        virtualize={shown.length > PAGE_LIMITS.virtualizeAfter}
        scrollToKey={selected}
        render={(p) => (
          <PluginItem
            plugin={p}
            selected={p.id === selected}
            onSelect={onSelect}
            onLoaded={onLoaded}
            watchNotice={notices.get(p.id)}
          />
        )}
      />
    </section>
  );
}
