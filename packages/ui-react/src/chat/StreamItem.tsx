import type { StreamInfo } from '@plugin-interfaces/spec';
import type { ReactNode } from 'react';
import { Markdown } from '../markdown/Markdown.js';

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
 * longer than this many characters.
 */
export const MARKDOWN_LIMIT = 50_000;

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

/**
 * A streamed plugin answer, growing as chunks arrive (plain text until it ends). While active it offers Pause and Cancel,
 * while paused Resume and Cancel; once finished it says how it ended.
 */
export function StreamItem({ stream, onControl }: StreamItemProps): ReactNode {
  const name = stream.title ?? 'Streaming answer';
  const live = stream.state === 'active' || stream.state === 'paused';
  const ended = finalText(stream);
  return (
    <article
      className="pi-stream"
      data-stream-state={stream.state}
      aria-label={name}
      aria-busy={stream.state === 'active'}
    >
      {stream.title !== null && <h4 className="pi-stream-title">{stream.title}</h4>}
      {live || stream.content.length > MARKDOWN_LIMIT ? (
        <div className="pi-stream-text">{stream.content}</div>
      ) : (
        <Markdown source={stream.content} />
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
