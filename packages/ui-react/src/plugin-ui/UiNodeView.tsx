import type { UiNode } from '@plugin-interfaces/spec';
import type { ReactNode } from 'react';
import { UiTextEdit } from './UiTextEdit.js';
import { UiButton, UiComboBox, UiToggle } from './UiWidgets.js';

/** Render a list of nodes, keyed by their stable ids. */
export function UiNodeList({ nodes }: { readonly nodes: readonly UiNode[] }): ReactNode {
  return nodes.map((node) => <UiNodeView key={node.id} node={node} />);
}

/** Render one node of a UI tree; groups recurse to any depth. */
export function UiNodeView({ node }: { readonly node: UiNode }): ReactNode {
  switch (node.type) {
    case 'label':
      return (
        <p className="pi-label" data-widget-id={node.id}>
          {node.text}
        </p>
      );
    case 'heading':
      return (
        <h3 className="pi-heading" data-widget-id={node.id}>
          {node.text}
        </h3>
      );
    case 'separator':
      return <hr className="pi-separator" data-widget-id={node.id} />;
    case 'button':
      return <UiButton node={node} />;
    case 'text_edit':
      return <UiTextEdit node={node} />;
    case 'combo_box':
      return <UiComboBox node={node} />;
    case 'toggle':
      return <UiToggle node={node} />;
    case 'horizontal':
    case 'vertical':
      return (
        <div
          className={node.type === 'horizontal' ? 'pi-row' : 'pi-column'}
          data-widget-id={node.id}
          data-node-type={node.type}
        >
          <UiNodeList nodes={node.children} />
        </div>
      );
  }
}
