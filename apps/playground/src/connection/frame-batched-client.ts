import type { ClientChange, ClientListener, PluginClient } from '@plugin-interfaces/ui-react';

/** Schedules one callback, e.g. `requestAnimationFrame`. */
export type Scheduler = (callback: () => void) => void;

const defaultScheduler: Scheduler = (cb) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16);

/**
 * A {@link PluginClient} view that tells its subscribers about state changes at most once per
 * animation frame. The snapshot itself is always current; only the notifications are collapsed,
 * so a stream of thousands of chunks re-renders the page once per frame instead of once per
 * chunk and the page stays responsive. Status changes, host errors and bad frames pass at once.
 */
export function frameBatchedClient(
  inner: PluginClient,
  schedule: Scheduler = defaultScheduler,
): PluginClient {
  const listeners = new Set<ClientListener>();
  let pending: ClientChange | null = null;
  const flush = (): void => {
    const change = pending;
    pending = null;
    if (change !== null) for (const l of [...listeners]) l(change);
  };
  inner.subscribe((change) => {
    if (change.type === 'event' || change.type === 'snapshot') {
      if (pending === null) schedule(flush);
      pending = change;
      return;
    }
    for (const l of [...listeners]) l(change);
  });
  return {
    request: (op, args) => inner.request(op, args),
    snapshot: () => inner.snapshot(),
    get status() {
      return inner.status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
