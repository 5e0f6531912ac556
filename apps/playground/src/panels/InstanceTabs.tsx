import { useSnapshot } from '@plugin-interfaces/ui-react';
import { type KeyboardEvent, type ReactNode, useRef } from 'react';
import { InstancePanel } from './InstancePanel.js';

/** Props of {@link InstanceTabs}. */
export interface InstanceTabsProps {
  readonly selected: string | null;
  readonly onSelect: (instanceId: string) => void;
}

/** One tab per running instance (arrow keys move between tabs), and the selected instance's panel. */
export function InstanceTabs({ selected, onSelect }: InstanceTabsProps): ReactNode {
  const { instances, plugins } = useSnapshot();
  const list = useRef<HTMLDivElement>(null);
  if (instances.length === 0)
    return (
      <section className="pg-panel pg-empty" aria-label="Instances">
        <p>No plugin is loaded. Pick one on the left and press Load.</p>
      </section>
    );
  const nameOf = (pluginId: string): string => plugins.find((p) => p.id === pluginId)?.name ?? pluginId;
  const onKeyDown = (e: KeyboardEvent): void => {
    const index = instances.findIndex((i) => i.instance_id === selected);
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    const next = instances[(index + delta + instances.length) % instances.length];
    if (next === undefined) return;
    onSelect(next.instance_id);
    list.current?.querySelector<HTMLElement>(`[data-instance="${CSS.escape(next.instance_id)}"]`)?.focus();
  };
  return (
    <section className="pg-instances" aria-label="Instances">
      <div className="pg-tabs" role="tablist" aria-label="Running instances" ref={list} onKeyDown={onKeyDown}>
        {instances.map((i) => {
          const active = i.instance_id === selected;
          return (
            <button
              key={i.instance_id}
              type="button"
              role="tab"
              id={`tab-${i.instance_id}`}
              data-instance={i.instance_id}
              aria-selected={active}
              aria-controls={`panel-${i.instance_id}`}
              tabIndex={active ? 0 : -1}
              className="pg-tab"
              onClick={() => onSelect(i.instance_id)}
            >
              {nameOf(i.plugin_id)}{' '}
              <span className="pg-meta">{i.instance_id.slice(i.plugin_id.length + 1)}</span>
              <span className="pg-badge" data-status={i.state}>
                {i.state}
              </span>
            </button>
          );
        })}
      </div>
      {selected !== null && <InstancePanel key={selected} instanceId={selected} />}
    </section>
  );
}
