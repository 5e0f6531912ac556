import type { UiEvent, UiTree } from '@plugin-interfaces/spec';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { useInstance, usePluginClient } from '../hooks.js';
import { SendContext } from './send-context.js';
import { UiNodeList } from './UiNodeView.js';

/** Props of {@link PluginUi}. */
export interface PluginUiProps {
  /** The instance whose UI tree is shown and which receives the UI events. */
  readonly instanceId: string;
  /** A tree to show instead of the instance's current one (e.g. for previews). */
  readonly tree?: UiTree;
  /** How long a text edit waits after the last keystroke before sending; default 300 ms. */
  readonly debounceMs?: number;
  /** Called when the host refuses a UI event; by default the error is shown above the UI. */
  readonly onError?: (error: unknown) => void;
  readonly className?: string;
}

/**
 * Draw a plugin's immediate-mode UI tree and send what the user does back as `ui_event`
 * requests. Widgets are keyed by their stable ids, so focus and typed text survive new frames.
 */
export function PluginUi({
  instanceId,
  tree,
  debounceMs = 300,
  onError,
  className,
}: PluginUiProps): ReactNode {
  const client = usePluginClient();
  const instance = useInstance(instanceId);
  const [error, setError] = useState<string | null>(null);
  const send = useCallback(
    (event: UiEvent) => {
      client.request('ui_event', { instance_id: instanceId, event }).then(
        () => setError(null),
        (e: unknown) => (onError ? onError(e) : setError(e instanceof Error ? e.message : String(e))),
      );
    },
    [client, instanceId, onError],
  );
  const context = useMemo(() => ({ send, debounceMs }), [send, debounceMs]);
  const nodes = tree ?? instance?.tree ?? [];
  return (
    <section
      className={['pi-plugin-ui', className].filter(Boolean).join(' ')}
      aria-label={`${instance?.plugin_id ?? instanceId} controls`}
    >
      {error !== null && (
        <p role="alert" className="pi-error">
          {error}
        </p>
      )}
      <SendContext.Provider value={context}>
        <UiNodeList nodes={nodes} />
      </SendContext.Provider>
    </section>
  );
}
