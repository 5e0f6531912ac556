import type { InstanceInfo } from '@plugin-interfaces/spec';
import { useConnectionStatus, usePluginClient, userMessage, useSnapshot } from '@plugin-interfaces/ui-react';
import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { InstancePanel } from './InstancePanel.js';

/** Props of {@link InstanceTabs}. */
export interface InstanceTabsProps {
  /** The instances in tab order. */
  readonly instances: readonly InstanceInfo[];
  readonly selected: string | null;
  readonly onSelect: (instanceId: string) => void;
}

/**
 * One tab per running instance, in one row that scrolls sideways instead of wrapping; arrow
 * keys, Home and End move between tabs, Delete closes one. Closing a tab (its × or Delete)
 * unloads the instance. Below: the selected instance's panel.
 */
export function InstanceTabs({ instances, selected, onSelect }: InstanceTabsProps): ReactNode {
  const client = usePluginClient();
  const { plugins } = useSnapshot();
  const status = useConnectionStatus();
  const list = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  if (instances.length === 0)
    return (
      <section className="pg-panel pg-empty" aria-label="Instances">
        <p>No plugin is loaded. Pick one on the left and press Load.</p>
      </section>
    );
  const nameOf = (pluginId: string): string => plugins.find((p) => p.id === pluginId)?.name ?? pluginId;
  const focusTab = (id: string): void =>
    list.current?.querySelector<HTMLElement>(`[data-instance="${CSS.escape(id)}"]`)?.focus();
  const close = (id: string): void => {
    const index = instances.findIndex((i) => i.instance_id === id);
    const neighbour = instances[index + 1] ?? instances[index - 1];
    if (id === selected && neighbour !== undefined) onSelect(neighbour.instance_id);
    client.request('unload', { instance_id: id }).then(
      () => setError(null),
      (e: unknown) => setError(userMessage(e)),
    );
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const index = instances.findIndex((i) => i.instance_id === selected);
    if (e.key === 'Delete' && selected !== null) {
      e.preventDefault();
      close(selected);
      return;
    }
    const target =
      e.key === 'ArrowRight'
        ? instances[(index + 1) % instances.length]
        : e.key === 'ArrowLeft'
          ? instances[(index - 1 + instances.length) % instances.length]
          : e.key === 'Home'
            ? instances[0]
            : e.key === 'End'
              ? instances[instances.length - 1]
              : undefined;
    if (target === undefined) return;
    e.preventDefault();
    onSelect(target.instance_id);
    focusTab(target.instance_id);
  };
  return (
    <section className="pg-instances" aria-label="Instances">
      <div className="pg-tabs" role="tablist" aria-label="Running instances" ref={list} onKeyDown={onKeyDown}>
        {instances.map((i) => {
          const active = i.instance_id === selected;
          const state = status === 'open' ? i.state : 'offline';
          return (
            <button
              key={i.instance_id}
              type="button"
              role="tab"
              id={`tab-${i.instance_id}`}
              data-instance={i.instance_id}
              aria-selected={active}
              aria-controls={`panel-${i.instance_id}`}
              aria-keyshortcuts="Delete"
              tabIndex={active ? 0 : -1}
              className="pg-tab"
              onClick={() => onSelect(i.instance_id)}
            >
              {nameOf(i.plugin_id)}{' '}
              <span className="pg-meta">{i.instance_id.slice(i.plugin_id.length + 1)}</span>
              <span className="pg-badge" data-status={state}>
                {state}
              </span>
              <span
                className="pg-tab-close"
                aria-hidden="true"
                title="Close tab (unloads the instance)"
                data-close={i.instance_id}
                onClick={(e) => {
                  e.stopPropagation();
                  close(i.instance_id);
                }}
              >
                ×
              </span>
            </button>
          );
        })}
      </div>
      {error !== null && (
        <p role="alert" className="pi-error">
          {error}
        </p>
      )}
      {selected !== null && instances.some((i) => i.instance_id === selected) && (
        <InstancePanel key={selected} instanceId={selected} onClose={() => close(selected)} />
      )}
    </section>
  );
}
