import { LIMITS, type StreamInfo } from '@plugin-interfaces/spec';
import { type ReactNode, useId, useState } from 'react';
import { Markdown } from '../markdown/Markdown.js';
import { useFollowTail } from './follow-tail.js';

/** A stream control the user can ask for. */
export type StreamControl = 'pause' | 'resume' | 'cancel';

/** Props of {@link StreamItem}. */
export interface StreamItemProps {
  readonly stream: StreamInfo;
  readonly onControl: (control: StreamControl) => void;
}

/**
 * A stream is shown as plain text while it grows (one text node: appending costs almost nothing,
 * even at thousands of chunks a second) and formatted as Markdown once it has ended, unless it is
 * longer than this many characters (`markdownMaxChars` in the spec's `LIMIT_DEFS`).
 */
export const MARKDOWN_LIMIT = LIMITS.markdownMaxChars;

/** A finished stream with more lines than this is collapsed behind a "Show all" expander. */
export const COLLAPSE_LINES = 12;
/** …or with more characters than this. */
export const COLLAPSE_CHARS = 1_500;

function finalText(stream: StreamInfo): string | null {
  switch (stream.state) {
    case 'completed':
      return 'Completed';
    case 'cancelled':
      return 'Cancelled';
    case 'error':
      return `Failed: ${stream.error ?? 'unknown error'}`;
    default:
      return null;
  }
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A streamed plugin answer, growing as chunks arrive (plain text until it ends, its box following
 * the newest text until the user scrolls up in it). While active it offers Pause and Cancel,
 * while paused Resume and Cancel; once finished it says how it ended, and a long one is collapsed
 * to its first lines with a "Show all" expander.
 */
export function StreamItem({ stream, onControl }: StreamItemProps): ReactNode {
  const name = stream.title ?? 'Streaming answer';
  const live = stream.state === 'active' || stream.state === 'paused';
  const ended = finalText(stream);
  const tail = useFollowTail<HTMLDivElement>(stream.content.length);
  const [expanded, setExpanded] = useState(false);
  const bodyId = useId();
  const lines = live ? 0 : lineCount(stream.content);
  const long = !live && (lines > COLLAPSE_LINES || stream.content.length > COLLAPSE_CHARS);
  const collapsed = long && !expanded;
  return (
    <article
      className="pi-stream"
      data-stream-state={stream.state}
      aria-label={name}
      aria-busy={stream.state === 'active'}
    >
      {stream.title !== null && <h4 className="pi-stream-title">{stream.title}</h4>}
      {live ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        <div key="live" ref={tail.ref} onScroll={tail.onScroll} className="pi-stream-text" tabIndex={0}>
          {stream.content}
        </div>
      ) : (
        <div key="final" id={bodyId} className="pi-stream-body" data-collapsed={collapsed || undefined}>
          {stream.content.length > MARKDOWN_LIMIT ? (
            <div className="pi-stream-text pi-stream-final">{stream.content}</div>
          ) : (
            <Markdown source={stream.content} />
          )}
        </div>
      )}
      {long && (
        <button
          type="button"
          className="pi-button pi-stream-expand"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Show less' : `Show all (${lines} lines)`}
        </button>
      )}
      {live && (
        <div className="pi-stream-controls">
          {stream.state === 'active' ? (
            <button type="button" className="pi-button" onClick={() => onControl('pause')}>
              Pause
            </button>
          ) : (
            <button type="button" className="pi-button" onClick={() => onControl('resume')}>
              Resume
            </button>
          )}
          <button
            type="button"
            className="pi-button"
            data-variant="danger"
            onClick={() => onControl('cancel')}
          >
            Cancel
          </button>
          {stream.state === 'paused' && <span className="pi-stream-status">Paused</span>}
        </div>
      )}
      {ended !== null && (
        <p className="pi-stream-status" data-final={stream.state}>
          {ended}
        </p>
      )}
    </article>
  );
}
