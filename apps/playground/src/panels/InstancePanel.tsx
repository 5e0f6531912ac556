import {
  ChatView,
  PluginUi,
  SettingsForm,
  useConnectionStatus,
  useInstance,
  usePluginClient,
  useSnapshot,
} from '@plugin-interfaces/ui-react';
import type { ReactNode } from 'react';
import { useAction } from './use-action.js';

/** Props of {@link InstancePanel}. */
export interface InstancePanelProps {
  readonly instanceId: string;
  readonly onClose: () => void;
}

/** One instance: lifecycle buttons, its plugin UI, the chat and the settings form, each scrolling on its own. */
export function InstancePanel({ instanceId, onClose }: InstancePanelProps): ReactNode {
  const client = usePluginClient();
  const status = useConnectionStatus();
  const instance = useInstance(instanceId);
  const plugin = useSnapshot().plugins.find((p) => p.id === instance?.plugin_id);
  const action = useAction();
  if (instance === undefined) return null;
  const online = status === 'open';
  const connected = instance.state === 'connected';
  const canConnect = instance.state === 'mounted' || instance.state === 'disconnected';
  const down = instance.state === 'crashed' || instance.state === 'disabled';
  const hasSettings = Object.keys(plugin?.settings ?? {}).length > 0;
  const hasUi = instance.tree.length > 0;
  return (
    <div
      className="pg-instance"
      role="tabpanel"
      id={`panel-${instanceId}`}
      aria-labelledby={`tab-${instanceId}`}
      data-offline={online ? undefined : true}
    >
      <div className="pg-panel-head">
        <h2>{plugin?.name ?? instance.plugin_id}</h2>
        <span className="pg-meta">
          {instanceId} · {online ? instance.state : 'state unknown while disconnected'}
        </span>
        {plugin?.isolation !== undefined && (
          <span className="pg-badge" data-mode={plugin.isolation} title="Where this plugin runs">
            {plugin.isolation}
          </span>
        )}
        <div className="pg-actions">
          <button
            type="button"
            className="pi-button"
            disabled={!online || !canConnect || action.busy}
            onClick={() => void action.run(() => client.request('connect', { instance_id: instanceId }))}
          >
            Connect
          </button>
          <button
            type="button"
            className="pi-button"
            disabled={!online || !connected || action.busy}
            onClick={() => void action.run(() => client.request('disconnect', { instance_id: instanceId }))}
          >
            Disconnect
          </button>
          <button
            type="button"
            className="pi-button"
            data-variant="danger"
            disabled={!online || action.busy}
            onClick={onClose}
          >
            Unload instance
          </button>
        </div>
      </div>
      {action.error !== null && (
        <p role="alert" className="pi-error">
          {action.error}
        </p>
      )}
      {instance.error !== undefined && (
        <p role="alert" className="pi-error">
          <code>{instance.error.code}</code> {instance.error.message}
          {instance.state === 'disabled' && ' Press Reload in the plugin list to start it again.'}
          {instance.state === 'crashed' && instance.error.retryable === true && ' A restart follows.'}
        </p>
      )}
      {down && instance.error === undefined && (
        <p role="alert" className="pi-error">
          This instance is {instance.state}.
        </p>
      )}
      <div className="pg-instance-body">
        <div className="pg-instance-side">
          <section className="pg-panel" aria-label="Plugin UI">
            <h3>Plugin UI</h3>
            {hasUi ? (
              <PluginUi instanceId={instanceId} />
            ) : (
              <p className="pg-hint">
                This plugin draws no UI: its last frame was empty (it has no render entry point, or drew
                nothing in state {instance.state}).
              </p>
            )}
          </section>
          {hasSettings && (
            <section className="pg-panel" aria-label="Settings">
              <h3>Settings</h3>
              <SettingsForm instanceId={instanceId} />
            </section>
          )}
        </div>
        <section className="pg-panel pg-chat" aria-label="Chat">
          <h3>Chat</h3>
          <ChatView instanceId={instanceId} clearable />
        </section>
      </div>
    </div>
  );
}
