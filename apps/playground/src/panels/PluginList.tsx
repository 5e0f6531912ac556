import type { PluginInfo } from '@plugin-interfaces/spec';
import { usePluginClient, useSnapshot } from '@plugin-interfaces/ui-react';
import type { ReactNode } from 'react';
import { useAction } from './use-action.js';

/** Props of {@link PluginList}. */
export interface PluginListProps {
  /** Called with the id of an instance this list just loaded. */
  readonly onLoaded: (instanceId: string) => void;
}

/** Every discovered plugin with its status, any config/load error, and its lifecycle buttons. */
export function PluginList({ onLoaded }: PluginListProps): ReactNode {
  const client = usePluginClient();
  const { plugins } = useSnapshot();
  const rescan = useAction();
  return (
    <section className="pg-panel" aria-labelledby="pg-plugins-title">
      <div className="pg-panel-head">
        <h2 id="pg-plugins-title">Plugins</h2>
        <button
          type="button"
          className="pi-button"
          disabled={rescan.busy}
          onClick={() => void rescan.run(() => client.request('rescan', {}))}
        >
          Rescan
        </button>
      </div>
      {rescan.error !== null && (
        <p role="alert" className="pi-error">
          {rescan.error}
        </p>
      )}
      {plugins.length === 0 && <p className="pg-hint">No plugins found.</p>}
      <ul className="pg-plugins">
        {plugins.map((p) => (
          <PluginItem key={p.id} plugin={p} onLoaded={onLoaded} />
        ))}
      </ul>
    </section>
  );
}

function newInstanceId(pluginId: string): string {
  return `${pluginId}-${crypto.randomUUID().slice(0, 8)}`;
}

function PluginItem({ plugin, onLoaded }: { readonly plugin: PluginInfo } & PluginListProps): ReactNode {
  const client = usePluginClient();
  const { instances } = useSnapshot();
  const mine = instances.filter((i) => i.plugin_id === plugin.id);
  const action = useAction();
  const ready = plugin.status === 'ready';
  const load = (): Promise<void> =>
    action.run(async () => {
      const id = newInstanceId(plugin.id);
      await client.request('load', { plugin_id: plugin.id, instance_id: id });
      onLoaded(id);
      // Like a chat client opening a tab: connect right away so the chat works.
      await client.request('connect', { instance_id: id });
    });
  const unloadAll = (): Promise<void> =>
    action.run(() => Promise.all(mine.map((i) => client.request('unload', { instance_id: i.instance_id }))));
  return (
    <li className="pg-plugin" aria-label={plugin.name} data-status={plugin.status}>
      <div className="pg-plugin-head">
        <strong>{plugin.name}</strong>
        <span className="pg-badge" data-status={plugin.status}>
          {plugin.status}
        </span>
      </div>
      <div className="pg-meta">
        {plugin.id} · v{plugin.version}
        {plugin.isolation !== undefined && ` · ${plugin.isolation}`}
        {mine.length > 0 && ` · ${mine.length} running`}
      </div>
      {plugin.description !== '' && <p className="pg-desc">{plugin.description}</p>}
      {plugin.error !== undefined && <PluginError error={plugin.error} />}
      <div className="pg-actions">
        {mine.length === 0 ? (
          <button
            type="button"
            className="pi-button"
            data-variant="primary"
            aria-label={`Load ${plugin.id}`}
            disabled={!ready || action.busy}
            onClick={() => void load()}
          >
            Load
          </button>
        ) : (
          <button
            type="button"
            className="pi-button"
            aria-label={`New instance of ${plugin.id}`}
            disabled={!ready || action.busy}
            onClick={() => void load()}
          >
            New instance
          </button>
        )}
        <button
          type="button"
          className="pi-button"
          aria-label={`Unload ${plugin.id}`}
          disabled={mine.length === 0 || action.busy}
          onClick={() => void unloadAll()}
        >
          Unload
        </button>
        <button
          type="button"
          className="pi-button"
          aria-label={`Reload ${plugin.id}`}
          disabled={action.busy}
          onClick={() => void action.run(() => client.request('reload', { plugin_id: plugin.id }))}
        >
          Reload
        </button>
      </div>
      {action.error !== null && (
        <p role="alert" className="pi-error">
          {action.error}
        </p>
      )}
    </li>
  );
}

function PluginError({ error }: { readonly error: NonNullable<PluginInfo['error']> }): ReactNode {
  const loc = error.location;
  const where =
    loc === undefined
      ? null
      : `${loc.file}${loc.line === undefined ? '' : `:${loc.line}`}${loc.column === undefined ? '' : `:${loc.column}`}`;
  return (
    <div className="pg-plugin-error" role="note">
      <code>{error.code}</code> {error.message}
      {where !== null && <div className="pg-location">{where}</div>}
    </div>
  );
}
