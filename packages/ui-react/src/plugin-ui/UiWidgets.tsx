import type { UiNode } from '@plugin-interfaces/spec';
import { type ReactNode, useId } from 'react';
import { useUiSend } from './send-context.js';
import { useSyncedState } from './synced-state.js';
import { VisibleLabel } from './VisibleLabel.js';

type NodeOf<T extends UiNode['type']> = Extract<UiNode, { type: T }>;

/** A push button; sends a `click` event. */
export function UiButton({ node }: { readonly node: NodeOf<'button'> }): ReactNode {
  const { send } = useUiSend();
  return (
    <button
      type="button"
      className="pi-button"
      data-widget-id={node.id}
      disabled={!node.enabled}
      onClick={() => send({ widget_id: node.id, kind: 'click' })}
    >
      {node.text}
    </button>
  );
}

/** A drop-down; sends a `select` event with the chosen index. */
export function UiComboBox({ node }: { readonly node: NodeOf<'combo_box'> }): ReactNode {
  const { send } = useUiSend();
  const [selected, setSelected] = useSyncedState(node.selected);
  const id = useId();
  const valid = selected !== null && selected < node.options.length;
  return (
    <VisibleLabel htmlFor={id} text={node.placeholder || node.id}>
      <select
        id={id}
        className="pi-combo-box"
        data-widget-id={node.id}
        disabled={!node.enabled}
        value={valid ? String(selected) : ''}
        onChange={(e) => {
          const index = Number(e.target.value);
          setSelected(index);
          send({ widget_id: node.id, kind: 'select', value: index });
        }}
      >
        {!valid && (
          <option value="" disabled>
            {node.placeholder || 'Select…'}
          </option>
        )}
        {node.options.map((option, index) => (
          // Options are positional: the index is what the plugin receives.
          // biome-ignore lint/suspicious/noArrayIndexKey: the index is the option's identity
          <option key={index} value={String(index)}>
            {option}
          </option>
        ))}
      </select>
    </VisibleLabel>
  );
}

/** A checkbox with its label; sends a `toggle` event with the new value. */
export function UiToggle({ node }: { readonly node: NodeOf<'toggle'> }): ReactNode {
  const { send } = useUiSend();
  const [checked, setChecked] = useSyncedState(node.value);
  return (
    <label className="pi-toggle" data-widget-id={node.id}>
      <input
        type="checkbox"
        checked={checked}
        disabled={!node.enabled}
        onChange={(e) => {
          setChecked(e.target.checked);
          send({ widget_id: node.id, kind: 'toggle', value: e.target.checked });
        }}
      />
      <span>{node.label}</span>
    </label>
  );
}
