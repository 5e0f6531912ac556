import type { PluginInfo } from '@plugin-interfaces/spec';
import { SettingsForm, usePluginClient, useSnapshot } from '@plugin-interfaces/ui-react';
import { type ReactNode, useState } from 'react';
import type { LogLine } from '../connection/plugin-logs.js';
import { useAction } from './use-action.js';

/** Props of {@link PluginItem}. */
export interface PluginItemProps {
  readonly plugin: PluginInfo;
  readonly selected: boolean;
  readonly onSelect: (pluginId: string) => void;
  readonly onLoaded: (instanceId: string) => void;
  /** The newest watch-mode notice for this plugin, if any. */
  readonly watchNotice?: LogLine | undefined;
}

function newInstanceId(pluginId: string): string {
  return `${pluginId}-${crypto.randomUUID().slice(0, 8)}`;
}

/** True when a plugin declares a required setting without a default: it cannot load without values. */
export function needsSettings(plugin: PluginInfo): boolean {
  return Object.values(plugin.settings ?? {}).some(
    (s) => 'required' in s && s.required === true && s.default === undefined,
  );
}

/** Warnings a plugin may carry (e.g. unknown config keys), when the host reports them. */
function warningsOf(plugin: PluginInfo): readonly string[] {
  const w = (plugin as { warnings?: unknown }).warnings;
  if (!Array.isArray(w)) return [];
  return w.map((x) =>
    typeof x === 'string'
      ? x
      : typeof x === 'object' && x !== null && 'message' in x
        ? String(x.message)
        : '',
  );
}

/**
 * One plugin: name, status, id, version, description, error or warnings, and Load / New
 * instance / Unload / Reload. A plugin with settings can be given values before it is loaded
 * ("Load with settings…"); one whose required settings have no default must be.
 */
export function PluginItem({
  plugin,
  selected,
  onSelect,
  onLoaded,
  watchNotice,
}: PluginItemProps): ReactNode {
  const client = usePluginClient();
  const { instances } = useSnapshot();
  const mine = instances.filter((i) => i.plugin_id === plugin.id);
  const action = useAction();
  const [configuring, setConfiguring] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const ready = plugin.status === 'ready';
  const hasSettings = Object.keys(plugin.settings ?? {}).length > 0;
  const mustConfigure = needsSettings(plugin);
  const warnings = warningsOf(plugin);

  const loadWith = async (settings?: Record<string, unknown>): Promise<void> => {
    const id = newInstanceId(plugin.id);
    onSelect(plugin.id);
    await client.request(
      'load',
      settings === undefined
        ? { plugin_id: plugin.id, instance_id: id }
        : { plugin_id: plugin.id, instance_id: id, settings },
    );
    onLoaded(id);
    setConfiguring(false);
    // Like a chat client opening a tab: connect right away so the chat works.
    await client.request('connect', { instance_id: id });
    // Events do not carry settings: a snapshot brings the new instance's values to its form.
    if (settings !== undefined) await client.request('snapshot', {});
  };
  const load = (): void => {
    if (mustConfigure) setConfiguring(true);
    else void action.run(() => loadWith());
  };
  const unloadAll = (): Promise<void> =>
    action.run(() => Promise.all(mine.map((i) => client.request('unload', { instance_id: i.instance_id }))));
  const reload = (): Promise<void> =>
    action.run(async () => {
      setNotice(null);
      const kept = (await client.request('reload', { plugin_id: plugin.id })) as readonly unknown[];
      // The reload re-creates the instances with their history; the snapshot brings it to the page.
      await client.request('snapshot', {});
      setNotice(
        `Reloaded ${new Date().toLocaleTimeString()}${kept.length > 0 ? `: ${kept.length} instance${kept.length === 1 ? '' : 's'} kept with chat and settings` : ''}.`,
      );
    });

  return (
    <div className="pg-plugin" data-status={plugin.status} data-selected={selected || undefined}>
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
      {warnings.length > 0 && (
        <ul className="pg-warnings" aria-label={`Warnings for ${plugin.name}`}>
          {warnings.map((w) => (
            <li key={w}>
              <span aria-hidden="true">⚠</span> Warning: {w}
            </li>
          ))}
        </ul>
      )}
      <div className="pg-actions">
        <button
          type="button"
          className="pi-button"
          data-variant={mine.length === 0 ? 'primary' : undefined}
          aria-label={mine.length === 0 ? `Load ${plugin.id}` : `New instance of ${plugin.id}`}
          aria-expanded={mustConfigure ? configuring : undefined}
          disabled={!ready || action.busy}
          onClick={load}
        >
          {mine.length === 0 ? 'Load' : 'New instance'}
          {mustConfigure && '…'}
        </button>
        {hasSettings && !mustConfigure && (
          <button
            type="button"
            className="pi-button"
            aria-expanded={configuring}
            aria-label={`Load ${plugin.id} with settings`}
            disabled={!ready || action.busy}
            onClick={() => setConfiguring((c) => !c)}
          >
            With settings…
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
          onClick={() => void reload()}
        >
          Reload
        </button>
      </div>
      {configuring && (
        <div className="pg-preload">
          {mustConfigure && <p className="pg-hint">This plugin needs settings before it can load.</p>}
          <SettingsForm
            instanceId=""
            specs={plugin.settings ?? {}}
            values={{}}
            label={`Settings for a new ${plugin.name} instance`}
            submitLabel="Load with these settings"
            submit={(values) => loadWith(values)}
          />
        </div>
      )}
      {watchNotice !== undefined && (
        <p
          className="pg-watch-notice"
          data-level={watchNotice.level}
          role={watchNotice.level === 'error' ? 'alert' : 'status'}
        >
          <span aria-hidden="true">{watchNotice.level === 'error' ? '✕' : '↻'}</span>{' '}
          {new Date(watchNotice.time).toLocaleTimeString()}: {watchNotice.message}
        </p>
      )}
      {notice !== null && (
        <p role="status" className="pg-hint">
          {notice}
        </p>
      )}
      {action.error !== null && (
        <p role="alert" className="pi-error">
          {action.error}
        </p>
      )}
    </div>
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
