import type { StreamInfo } from '@plugin-interfaces/spec';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useConnectionStatus, useInstance, usePluginClient, useSnapshot } from '../hooks.js';
import { userMessage } from '../user-message.js';
import { useFollowTail } from './follow-tail.js';
import { chatRows, countUserMessages, type LocalEcho, pendingEchoes } from './local-echo.js';
import { MessageItem } from './MessageItem.js';
import { SendBox } from './SendBox.js';
import { type StreamControl, StreamItem } from './StreamItem.js';

/** Props of {@link ChatView}. */
export interface ChatViewProps {
  /** The instance to chat with. */
  readonly instanceId: string;
  readonly className?: string;
  /**
   * When true, a "Clear chat" button asks the host to empty the instance's history
   * (`clear_history`); the chat empties when the host's `plugin-history-cleared` arrives, in every
   * page that shows it, and stays empty after a page reload.
   */
  readonly clearable?: boolean;
}

/**
 * The conversation with one plugin instance: its history (user, plugin and system messages,
 * each type with an icon and a label), live streams with Pause/Resume/Cancel, and a send box.
 * Messages the user sent appear immediately and are replaced by the host's record once it
 * arrives; a send that never reached the host stays, marked as not delivered, where it was sent.
 * The log follows the newest content until the user scrolls up, and sending jumps back to it.
 * The send box is disabled, with the reason, while the page or the instance is not connected.
 */
export function ChatView({ instanceId, className, clearable = false }: ChatViewProps): ReactNode {
  const client = usePluginClient();
  const status = useConnectionStatus();
  const instance = useInstance(instanceId);
  const plugin = useSnapshot().plugins.find((p) => p.id === instance?.plugin_id);
  const [echoes, setEchoes] = useState<LocalEcho[]>([]);
  const [error, setError] = useState<string | null>(null);
  const history = instance?.history ?? [];
  const streams = instance?.streams ?? [];
  // Streams are drawn where their history entry is; streams the history lacks go last.
  const streamsById = new Map(streams.map((s) => [s.stream_id, s]));
  const inHistory = new Set(history.map((m) => m.id));
  const pending = pendingEchoes(echoes, history);
  const rows = chatRows(history, pending);
  const tail = useFollowTail<HTMLDivElement>(
    `${history.length}/${pending.length}/${streams.map((s) => `${s.content.length}${s.state}`).join(',')}`,
  );
  const { follow } = tail;

  const send = useCallback(
    (text: string) => {
      const current = client.snapshot().instances.find((i) => i.instance_id === instanceId)?.history ?? [];
      const echo: LocalEcho = {
        key: `${Date.now()}-${Math.random()}`,
        content: text,
        createdAt: new Date().toISOString(),
        seenBefore: countUserMessages(current, text),
        historyLength: current.length,
        error: null,
      };
      setEchoes((list) => [...list, echo]);
      follow();
      client.request('send_message', { instance_id: instanceId, message: text }).catch((e: unknown) => {
        setEchoes((list) => list.map((x) => (x.key === echo.key ? { ...x, error: userMessage(e) } : x)));
      });
    },
    [client, instanceId, follow],
  );

  // Echoes are matched against the history by count: once it is cleared, they would come back.
  useEffect(
    () =>
      client.subscribe((change) => {
        if (
          change.type === 'event' &&
          change.event.event === 'plugin-history-cleared' &&
          change.event.payload.instance_id === instanceId
        )
          setEchoes([]);
      }),
    [client, instanceId],
  );

  const clear = (): void => {
    client.request('clear_history', { instance_id: instanceId }).then(
      () => setError(null),
      (e: unknown) => setError(userMessage(e)),
    );
  };

  const control = (streamId: string, c: StreamControl): void => {
    client.request('stream_control', { instance_id: instanceId, stream_id: streamId, control: c }).then(
      () => setError(null),
      (e: unknown) => setError(userMessage(e)),
    );
  };

  const name = plugin?.name ?? instance?.plugin_id ?? instanceId;
  const blocked =
    status !== 'open'
      ? 'Not connected to the plugin host; the page reconnects by itself.'
      : instance === undefined
        ? 'This instance is gone.'
        : instance.state !== 'connected'
          ? `This instance is ${instance.state}; press Connect to chat.`
          : null;
  const streamView = (s: StreamInfo): ReactNode => (
    <StreamItem key={s.stream_id} stream={s} onControl={(c) => control(s.stream_id, c)} />
  );
  return (
    <section className={['pi-chat', className].filter(Boolean).join(' ')} aria-label={`Chat with ${name}`}>
      {clearable && (
        <div className="pi-chat-tools">
          <button
            type="button"
            className="pi-button"
            disabled={(history.length === 0 && pending.length === 0) || status !== 'open'}
            onClick={clear}
          >
            Clear chat
          </button>
        </div>
      )}
      <div
        ref={tail.ref}
        onScroll={tail.onScroll}
        className="pi-chat-log"
        role="log"
        aria-live="polite"
        aria-label={`Messages with ${name}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
      >
        {rows.map((row) => {
          if (row.kind === 'history') {
            const m = row.message;
            const stream = m.type === 'streaming' ? streamsById.get(m.id) : undefined;
            return stream === undefined ? (
              <MessageItem key={m.id} message={m} pluginName={name} />
            ) : (
              streamView(stream)
            );
          }
          const echo = row.echo;
          return (
            <MessageItem
              key={echo.key}
              pending={echo.error === null}
              message={{
                role: 'user',
                content: echo.content,
                createdAt: echo.createdAt,
                status: echo.error === null ? 'active' : 'error',
                ...(echo.error === null ? {} : { error: `Not delivered: ${echo.error}` }),
              }}
            />
          );
        })}
        {streams.filter((s) => !inHistory.has(s.stream_id)).map(streamView)}
      </div>
      {!tail.following && (
        <button type="button" className="pi-button pi-chat-jump" onClick={follow}>
          Jump to newest
        </button>
      )}
      {error !== null && (
        <p role="alert" className="pi-error">
          {error}
        </p>
      )}
      {blocked !== null && <p className="pi-chat-blocked">{blocked}</p>}
      <SendBox onSend={send} label={`Message to ${name}`} disabled={blocked !== null} />
    </section>
  );
}
