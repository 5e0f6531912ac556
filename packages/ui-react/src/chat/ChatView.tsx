import { type ReactNode, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useInstance, usePluginClient, useSnapshot } from '../hooks.js';
import { countUserMessages, type LocalEcho, pendingEchoes } from './local-echo.js';
import { MessageItem } from './MessageItem.js';
import { SendBox } from './SendBox.js';
import { type StreamControl, StreamItem } from './StreamItem.js';

/** Props of {@link ChatView}. */
export interface ChatViewProps {
  /** The instance to chat with. */
  readonly instanceId: string;
  readonly className?: string;
}

/**
 * The conversation with one plugin instance: its history (user, plugin and system messages,
 * styled by message type), live streams with Pause/Resume/Cancel, and a send box. Messages the
 * user sent appear immediately and are replaced by the host's record once it arrives.
 */
export function ChatView({ instanceId, className }: ChatViewProps): ReactNode {
  const client = usePluginClient();
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

  const send = useCallback(
    (text: string) => {
      const echo: LocalEcho = {
        key: `${Date.now()}-${Math.random()}`,
        content: text,
        createdAt: new Date().toISOString(),
        seenBefore: countUserMessages(
          client.snapshot().instances.find((i) => i.instance_id === instanceId)?.history ?? [],
          text,
        ),
        error: null,
      };
      setEchoes((list) => [...list, echo]);
      client.request('send_message', { instance_id: instanceId, message: text }).catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        setEchoes((list) => list.map((x) => (x.key === echo.key ? { ...x, error: message } : x)));
      });
    },
    [client, instanceId],
  );

  const control = (streamId: string, c: StreamControl): void => {
    client.request('stream_control', { instance_id: instanceId, stream_id: streamId, control: c }).then(
      () => setError(null),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };

  const log = useRef<HTMLDivElement>(null);
  const lastContent = streams.map((s) => s.content.length).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the visible content grows
  useLayoutEffect(() => {
    const el = log.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [history.length, pending.length, lastContent]);

  const name = plugin?.name ?? instance?.plugin_id ?? instanceId;
  return (
    <section className={['pi-chat', className].filter(Boolean).join(' ')} aria-label={`Chat with ${name}`}>
      <div
        ref={log}
        className="pi-chat-log"
        role="log"
        aria-live="polite"
        aria-label={`Messages with ${name}`}
      >
        {history.map((m) => {
          const stream = m.type === 'streaming' ? streamsById.get(m.id) : undefined;
          return stream === undefined ? (
            <MessageItem key={m.id} message={m} pluginName={name} />
          ) : (
            <StreamItem key={m.id} stream={stream} onControl={(c) => control(m.id, c)} />
          );
        })}
        {pending.map((echo) => (
          <MessageItem
            key={echo.key}
            pending={echo.error === null}
            message={{
              role: 'user',
              content: echo.content,
              createdAt: echo.createdAt,
              status: echo.error === null ? 'active' : 'error',
              ...(echo.error === null
                ? {}
                : { error: `Not sent: ${echo.error}`, messageType: 'error' as const }),
            }}
          />
        ))}
        {streams
          .filter((s) => !inHistory.has(s.stream_id))
          .map((s) => (
            <StreamItem key={s.stream_id} stream={s} onControl={(c) => control(s.stream_id, c)} />
          ))}
      </div>
      {error !== null && (
        <p role="alert" className="pi-error">
          {error}
        </p>
      )}
      <SendBox onSend={send} label={`Message to ${name}`} />
    </section>
  );
}
