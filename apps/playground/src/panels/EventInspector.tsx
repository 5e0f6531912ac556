import type { BridgeOp } from '@plugin-interfaces/spec';
import { usePluginClient, userMessage } from '@plugin-interfaces/ui-react';
import { type ReactNode, useId, useState, useSyncExternalStore } from 'react';
import { type FrameEntry, type FrameLog, filterEntries } from '../connection/frame-log.js';
import { PAGE_LIMITS } from '../limits.js';
import { InstanceFilter } from './InstanceFilter.js';
import { Disclosure, JsonTree } from './JsonTree.js';

const ARROW = { in: '←', out: '→', status: '•' } as const;
const DIRECTION = { in: 'received', out: 'sent', status: 'connection' } as const;

/** Props of {@link EventInspector}. */
export interface EventInspectorProps {
  readonly frames: FrameLog;
  /** Preselect the per-instance filter. */
  readonly instanceId?: string | null;
}

/** Save the kept frames (already redacted) as a JSON file. */
function exportFrames(entries: readonly FrameEntry[]): void {
  const data = entries.map((e) => ({
    seq: e.seq,
    time: new Date(e.time).toISOString(),
    direction: e.direction,
    kind: e.kind,
    frame: e.value ?? e.text,
    ...(e.answer === undefined ? {} : { answered_in_ms: e.answer.ms, ok: e.answer.ok }),
  }));
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `playground-frames-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Every bridge frame in and out, newest first: pretty collapsible JSON, requests paired with
 * their results and timings, filter by text and by instance, all kept frames reachable page by
 * page, export as JSON, and a sent frame can be resent or edited and sent. Secrets are redacted.
 */
export function EventInspector({ frames, instanceId = null }: EventInspectorProps): ReactNode {
  const entries = useSyncExternalStore(frames.subscribe, frames.entries);
  const [filter, setFilter] = useState('');
  const [only, setOnly] = useState<string | null>(instanceId);
  const [pages, setPages] = useState(1);
  const id = useId();
  const matching = filterEntries(entries, filter, only);
  const shown = matching.slice(-pages * PAGE_LIMITS.inspectorPage).reverse();
  const older = matching.length - shown.length;
  return (
    <section className="pg-panel pg-inspector" aria-labelledby={`${id}-title`}>
      <div className="pg-panel-head">
        <h2 id={`${id}-title`}>Event inspector</h2>
        <div className="pg-actions">
          <button type="button" className="pi-button" onClick={() => exportFrames(entries)}>
            Export JSON
          </button>
          <button type="button" className="pi-button" onClick={() => frames.clear()}>
            Clear
          </button>
        </div>
      </div>
      <div className="pg-filters">
        <label htmlFor={`${id}-filter`} className="pg-label">
          Filter frames
        </label>
        <input
          id={`${id}-filter`}
          type="search"
          className="pg-input"
          placeholder="op, event name or text"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <InstanceFilter id={`${id}-instance`} value={only} onChange={setOnly} />
      </div>
      <p className="pg-hint" role="status">
        Showing {shown.length} of {matching.length} matching ({entries.length} kept, last {frames.capacity}).
      </p>
      <ol className="pg-frames" aria-label="Frames, newest first">
        {shown.map((e) => (
          <FrameRow key={e.seq} entry={e} />
        ))}
      </ol>
      {older > 0 && (
        <button type="button" className="pi-button" onClick={() => setPages((p) => p + 1)}>
          Show {Math.min(older, PAGE_LIMITS.inspectorPage)} older ({older} more)
        </button>
      )}
    </section>
  );
}

function FrameRow({ entry }: { readonly entry: FrameEntry }): ReactNode {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const [editing, setEditing] = useState(false);
  const resendable =
    entry.direction === 'out' && entry.value !== undefined && !entry.text.includes('redacted');
  return (
    <li className="pg-frame" data-direction={entry.direction} data-seq={entry.seq}>
      <span className="pg-frame-head">
        <time dateTime={new Date(entry.time).toISOString()}>{time}</time>{' '}
        <span aria-hidden="true">{ARROW[entry.direction]}</span>
        <span className="pi-visually-hidden">{DIRECTION[entry.direction]}</span> <strong>{entry.kind}</strong>
        {entry.requestId !== undefined && <span className="pg-meta"> #{entry.requestId}</span>}
        {entry.answer !== undefined && (
          <span className="pg-timing" data-ok={entry.answer.ok}>
            {' '}
            {entry.answer.ok ? 'ok' : 'failed'} in {entry.answer.ms} ms
          </span>
        )}
        {entry.answer === undefined && entry.direction === 'out' && entry.requestId !== undefined && (
          <span className="pg-meta"> waiting…</span>
        )}
        {entry.answers !== undefined && (
          <span className="pg-timing">
            {' '}
            answers {entry.answers.op} · {entry.answers.ms} ms
          </span>
        )}
      </span>
      {entry.value === undefined ? (
        <code>{entry.text}</code>
      ) : (
        <Disclosure
          head={<code>{entry.text.length > 120 ? `${entry.text.slice(0, 120)}…` : entry.text}</code>}
        >
          {() => <JsonTree value={entry.value} />}
        </Disclosure>
      )}
      {resendable && (
        <div className="pg-actions">
          <ResendButton frame={entry.value} />
          <button
            type="button"
            className="pi-button"
            aria-expanded={editing}
            onClick={() => setEditing((x) => !x)}
          >
            Edit and send
          </button>
        </div>
      )}
      {editing && <FrameEditor frame={entry.value} />}
    </li>
  );
}

/** Split a logged request into its op and arguments (the id is new on every send). */
function asRequest(frame: unknown): { op: BridgeOp; args: Record<string, unknown> } | string {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame))
    return 'The frame must be a JSON object.';
  const { id: _id, op, ...args } = frame as Record<string, unknown>;
  if (typeof op !== 'string') return 'The frame needs an "op".';
  return { op: op as BridgeOp, args };
}

function useSend(): { send: (frame: unknown) => void; outcome: string | null } {
  const client = usePluginClient();
  const [outcome, setOutcome] = useState<string | null>(null);
  const send = (frame: unknown): void => {
    const request = asRequest(frame);
    if (typeof request === 'string') {
      setOutcome(request);
      return;
    }
    setOutcome('Sent…');
    // The client validates the request against the bridge schema before it goes out.
    (client.request as (op: BridgeOp, args: Record<string, unknown>) => Promise<unknown>)(
      request.op,
      request.args,
    ).then(
      () => setOutcome('Sent: ok'),
      (e: unknown) => setOutcome(`Sent: failed: ${userMessage(e)}`),
    );
  };
  return { send, outcome };
}

function ResendButton({ frame }: { readonly frame: unknown }): ReactNode {
  const { send, outcome } = useSend();
  return (
    <>
      <button type="button" className="pi-button" onClick={() => send(frame)}>
        Resend
      </button>
      {outcome !== null && <span role="status">{outcome}</span>}
    </>
  );
}

function FrameEditor({ frame }: { readonly frame: unknown }): ReactNode {
  const [text, setText] = useState(() => JSON.stringify(frame, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const { send, outcome } = useSend();
  const id = useId();
  return (
    <div className="pg-frame-editor">
      <label htmlFor={id} className="pg-label">
        Frame to send (JSON; a new id is given)
      </label>
      <textarea
        id={id}
        className="pg-input pg-mono"
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button
        type="button"
        className="pi-button"
        data-variant="primary"
        onClick={() => {
          try {
            setProblem(null);
            send(JSON.parse(text));
          } catch (e) {
            setProblem(`Not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
          }
        }}
      >
        Send
      </button>
      {problem !== null && (
        <p role="alert" className="pi-error">
          {problem}
        </p>
      )}
      {outcome !== null && <span role="status">{outcome}</span>}
    </div>
  );
}
