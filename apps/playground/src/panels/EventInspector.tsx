import { type ReactNode, useId, useState, useSyncExternalStore } from 'react';
import { type FrameEntry, type FrameLog, filterEntries } from '../connection/frame-log.js';

const ARROW = { in: '←', out: '→', status: '•' } as const;
const DIRECTION = { in: 'received', out: 'sent', status: 'connection' } as const;
const SHOWN = 200;

/** Every bridge frame in and out with its time, newest first; filterable, capped. */
export function EventInspector({ frames }: { readonly frames: FrameLog }): ReactNode {
  const entries = useSyncExternalStore(frames.subscribe, frames.entries);
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const shown = filterEntries(entries, filter).slice(-SHOWN).reverse();
  return (
    <section className="pg-panel pg-inspector" aria-labelledby={`${filterId}-title`}>
      <div className="pg-panel-head">
        <h2 id={`${filterId}-title`}>Event inspector</h2>
        <button type="button" className="pi-button" onClick={() => frames.clear()}>
          Clear
        </button>
      </div>
      <label htmlFor={filterId} className="pg-label">
        Filter frames
      </label>
      <input
        id={filterId}
        type="search"
        className="pg-input"
        placeholder="op, event name or text"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <p className="pg-hint">
        Showing {shown.length} of {entries.length} (last {frames.capacity} kept).
      </p>
      <ol className="pg-frames" aria-label="Frames, newest first">
        {shown.map((e) => (
          <FrameRow key={e.seq} entry={e} />
        ))}
      </ol>
    </section>
  );
}

function FrameRow({ entry }: { readonly entry: FrameEntry }): ReactNode {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const long = entry.text.length > 160;
  return (
    <li className="pg-frame" data-direction={entry.direction}>
      <span className="pg-frame-head">
        <time dateTime={new Date(entry.time).toISOString()}>{time}</time>{' '}
        <span aria-hidden="true">{ARROW[entry.direction]}</span>
        <span className="pi-visually-hidden">{DIRECTION[entry.direction]}</span> <strong>{entry.kind}</strong>
      </span>
      {long ? (
        <details>
          <summary>
            <code>{entry.text.slice(0, 160)}…</code>
          </summary>
          <pre>{entry.text}</pre>
        </details>
      ) : (
        <code>{entry.text}</code>
      )}
    </li>
  );
}
