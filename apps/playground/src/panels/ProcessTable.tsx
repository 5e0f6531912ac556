import type { ProcessInfo } from '@plugin-interfaces/spec';
import { useConnectionStatus, usePluginClient, userMessage } from '@plugin-interfaces/ui-react';
import { type ReactNode, useEffect, useState } from 'react';
import { PAGE_LIMITS } from '../limits.js';

/** True when a `process_info` result has the declared shape (results are not validated by the client). */
export function isProcessList(value: unknown): value is ProcessInfo[] {
  return (
    Array.isArray(value) &&
    value.every(
      (p: unknown) =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as ProcessInfo).plugin_id === 'string' &&
        Number.isInteger((p as ProcessInfo).pid) &&
        Number.isInteger((p as ProcessInfo).restarts) &&
        ((p as ProcessInfo).rss_bytes === null || Number.isInteger((p as ProcessInfo).rss_bytes)),
    )
  );
}

function mib(bytes: number | null): string {
  return bytes === null ? 'unknown' : `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Each isolated plugin's process: pid, resident memory and restarts, refreshed while shown. */
export function ProcessTable(): ReactNode {
  const client = usePluginClient();
  const status = useConnectionStatus();
  const [rows, setRows] = useState<ProcessInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (status !== 'open') return;
    let stopped = false;
    const poll = (): void => {
      client.request('process_info', {}).then(
        (value) => {
          if (stopped) return;
          if (isProcessList(value)) {
            setRows(value);
            setError(null);
          } else setError('The host answered process_info with something unexpected.');
        },
        (e: unknown) => {
          if (!stopped) setError(userMessage(e));
        },
      );
    };
    poll();
    const timer = setInterval(poll, PAGE_LIMITS.processPollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, status]);
  return (
    <section className="pg-processes" aria-labelledby="pg-processes-title">
      <h3 id="pg-processes-title">Plugin processes</h3>
      {error !== null && <p className="pi-error">{error}</p>}
      {rows !== null && rows.length === 0 && (
        <p className="pg-hint">No plugin process: nothing is loaded, or plugins run in-process.</p>
      )}
      {rows !== null && rows.length > 0 && (
        <table className="pg-table">
          <thead>
            <tr>
              <th scope="col">Plugin</th>
              <th scope="col">PID</th>
              <th scope="col">Memory</th>
              <th scope="col">Restarts</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.plugin_id}-${p.pid}`}>
                <th scope="row">{p.plugin_id}</th>
                <td>{p.pid}</td>
                <td>{mib(p.rss_bytes)}</td>
                <td>{p.restarts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
