import type { HistoryMessage } from '@plugin-interfaces/spec';
import type { ReactNode } from 'react';
import { Markdown } from '../markdown/Markdown.js';

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

/** One chat message: author, time, Markdown content and, for failures, the error text. */
export function MessageItem({ message, pluginName, pending = false }: MessageItemProps): ReactNode {
  const author = message.role === 'plugin' && pluginName ? pluginName : ROLE_NAMES[message.role];
  const type = message.messageType ?? 'normal';
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
        {!Number.isNaN(time.getTime()) && (
          <time dateTime={message.createdAt}>
            {time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
          </time>
        )}
      </header>
      <Markdown source={message.content} />
      {message.error !== undefined && message.error !== message.content && (
        <p className="pi-error" role="status">
          {message.error}
        </p>
      )}
    </article>
  );
}
