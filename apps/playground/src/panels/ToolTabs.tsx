import { type KeyboardEvent, type ReactNode, useRef } from 'react';
import type { ToolTab } from '../url-state.js';

const TOOLS: readonly { readonly id: ToolTab; readonly label: string }[] = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'logs', label: 'Log' },
  { id: 'config', label: 'App config' },
];

/** Props of {@link ToolTabs}. */
export interface ToolTabsProps {
  readonly selected: ToolTab;
  readonly onSelect: (tool: ToolTab) => void;
  /** The selected tool's panel. */
  readonly children: ReactNode;
}

/** Tabs for the right-hand tools: event inspector, plugin log, app config (arrow keys switch). */
export function ToolTabs({ selected, onSelect, children }: ToolTabsProps): ReactNode {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent): void => {
    const index = TOOLS.findIndex((t) => t.id === selected);
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    const next = TOOLS[(index + delta + TOOLS.length) % TOOLS.length];
    if (next === undefined) return;
    onSelect(next.id);
    list.current?.querySelector<HTMLElement>(`#tool-${next.id}`)?.focus();
  };
  return (
    <>
      <div
        className="pg-tabs pg-tool-tabs"
        role="tablist"
        aria-label="Tools"
        ref={list}
        onKeyDown={onKeyDown}
      >
        {TOOLS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tool-${t.id}`}
            aria-selected={t.id === selected}
            aria-controls="tool-panel"
            tabIndex={t.id === selected ? 0 : -1}
            className="pg-tab"
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="pg-tool-panel" role="tabpanel" id="tool-panel" aria-labelledby={`tool-${selected}`}>
        {children}
      </div>
    </>
  );
}
