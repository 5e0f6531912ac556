import type { HistoryMessage } from '@plugin-interfaces/spec';
import type { ReactNode } from 'react';
import { Markdown } from '../markdown/Markdown.js';
import { MESSAGE_TYPE_MARKS } from './message-types.js';

const ROLE_NAMES = { user: 'You', plugin: 'Plugin', system: 'System' } as const;

/** Props of {@link MessageItem}. */
export interface MessageItemProps {
  readonly message: Pick<HistoryMessage, 'role' | 'content' | 'createdAt' | 'status'> &
    Partial<Pick<HistoryMessage, 'messageType' | 'error'>>;
  /** The author shown for plugin messages (e.g. the plugin's name). */
  readonly pluginName?: string;
  /** True for a message the host has not recorded yet. */
  readonly pending?: boolean;
}

/**
 * One chat message: author, time, the message type as an icon and a word (besides its colour),
 * Markdown content and, for failures, the error text.
 */
export function MessageItem({ message, pluginName, pending = false }: MessageItemProps): ReactNode {
  const author = message.role === 'plugin' && pluginName ? pluginName : ROLE_NAMES[message.role];
  const failed = message.error !== undefined && message.content === '';
  const type = message.messageType ?? (failed ? 'error' : 'normal');
  const mark = MESSAGE_TYPE_MARKS[type];
  const time = new Date(message.createdAt);
  return (
    <article
      className="pi-message"
      data-role={message.role}
      data-message-type={type}
      data-status={message.status}
      data-pending={pending || undefined}
      aria-label={`${author}${type === 'normal' ? '' : ` (${type})`}`}
    >
      <header className="pi-message-meta">
        <span className="pi-message-author">{author}</span>
        {mark !== null && (
          <span className="pi-message-type" data-type={type}>
            <span aria-hidden="true">{mark.icon}</span> {mark.label}
          </span>
        )}
        {!Number.isNaN(time.getTime()) && (
          <time dateTime={message.createdAt}>
            {time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
          </time>
        )}
        {pending && <span className="pi-message-pending">sending…</span>}
      </header>
      {message.content !== '' && <Markdown source={message.content} />}
      {message.error !== undefined && message.error !== message.content && (
        <p className="pi-error" role="status">
          {message.error}
        </p>
      )}
    </article>
  );
}
