import { useConnectionStatus } from '@plugin-interfaces/ui-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';

const LABEL = { open: 'Connected', connecting: 'Connecting…', closed: 'Disconnected' } as const;

/** The bridge connection state, and how many times it reconnected since the page opened. */
export function ConnectionIndicator(): ReactNode {
  const status = useConnectionStatus();
  const opens = useRef(0);
  const [reconnects, setReconnects] = useState(0);
  useEffect(() => {
    if (status !== 'open') return;
    opens.current++;
    if (opens.current > 1) setReconnects(opens.current - 1);
  }, [status]);
  return (
    <output className="pg-connection" data-status={status} aria-live="polite">
      <span className="pg-dot" aria-hidden="true" />
      {LABEL[status]}
      {reconnects > 0 && ` · reconnected ${reconnects}×`}
    </output>
  );
}
