import type { ReactNode } from 'react';

/** Props of {@link VisibleLabel}. */
export interface VisibleLabelProps {
  /** The id of the control it labels. */
  readonly htmlFor: string;
  readonly text: string;
  readonly children: ReactNode;
}

/**
 * A label shown above a plugin's text edit or combo box. Plugins describe these widgets with a
 * hint or placeholder only; it becomes a visible label (and the control's accessible name), so
 * the field still says what it is for once something is typed or chosen.
 */
export function VisibleLabel({ htmlFor, text, children }: VisibleLabelProps): ReactNode {
  return (
    <div className="pi-labelled">
      <label htmlFor={htmlFor} className="pi-labelled-text">
        {text}
      </label>
      {children}
    </div>
  );
}
