import type { LogLevel } from '@plugin-interfaces/spec';
import { type ReactNode, useId, useState, useSyncExternalStore } from 'react';
import { filterLines, LEVELS, type LogStore } from '../connection/plugin-logs.js';
import { InstanceFilter } from './InstanceFilter.js';
import { ProcessTable } from './ProcessTable.js';

const LEVEL_ICON: Readonly<Record<LogLevel, string>> = {
  error: '✕',
  warn: '⚠',
  info: 'ℹ',
  debug: '·',
  trace: '·',
};

/** The plugins' log lines, newest first, filtered by level and by instance. */
export function LogPanel({ logs }: { readonly logs: LogStore }): ReactNode {
  const lines = useSyncExternalStore(logs.subscribe, logs.lines);
  const [level, setLevel] = useState<LogLevel>('debug');
  const [only, setOnly] = useState<string | null>(null);
  const id = useId();
  const shown = filterLines(lines, level, only).slice().reverse();
  return (
    <section className="pg-panel pg-logs" aria-labelledby={`${id}-title`}>
      <div className="pg-panel-head">
        <h2 id={`${id}-title`}>Plugin log</h2>
        <div className="pg-actions">
          <button type="button" className="pi-button" onClick={() => logs.clear()}>
            Clear
          </button>
        </div>
      </div>
      <div className="pg-filters">
        <label htmlFor={`${id}-level`} className="pg-label">
          Level (and more severe)
        </label>
        <select
          id={`${id}-level`}
          className="pg-input"
          value={level}
          onChange={(e) => setLevel(e.target.value as LogLevel)}
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <InstanceFilter id={`${id}-instance`} value={only} onChange={setOnly} />
      </div>
      <ProcessTable />
      <p className="pg-hint" role="status">
        {shown.length} of {lines.length} lines (last {logs.capacity} kept).
      </p>
      <ol className="pg-log-lines" aria-label="Log lines, newest first">
        {shown.map((l) => (
          <li key={l.seq} className="pg-log-line" data-level={l.level}>
            <time dateTime={new Date(l.time).toISOString()}>
              {new Date(l.time).toISOString().slice(11, 23)}
            </time>{' '}
            <span className="pg-log-level">
              <span aria-hidden="true">{LEVEL_ICON[l.level]}</span> {l.level}
            </span>{' '}
            <span className="pg-meta">{l.instanceId}</span> {l.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
