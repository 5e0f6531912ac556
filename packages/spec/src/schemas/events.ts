import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  ErrorInfo,
  InstanceId,
  LifecycleState,
  LogLevel,
  MessageType,
  PluginId,
  Timestamp,
} from './common.js';
import { HistoryMessage } from './history.js';
import { UiTree } from './ui-tree.js';

const who = { plugin_id: PluginId, instance_id: InstanceId, timestamp: Timestamp };

/** `plugin-message`: a chat message from a plugin. Content is Markdown, rendered as text. */
export const PluginMessagePayload = Type.Object({
  ...who,
  message_type: MessageType,
  message_id: Type.String(),
  content: Type.String(),
});

export const STREAM_EVENT_TYPES = [
  'stream_start',
  'stream_data',
  'stream_end',
  'stream_pause',
  'stream_resume',
  'stream_cancel',
] as const;

/** `plugin-stream`: one stream transition; the host owns the state machine. */
export const PluginStreamPayload = Type.Union([
  Type.Object({
    ...who,
    type: Type.Literal('stream_start'),
    data: Type.Object({ stream_id: Type.String(), title: Type.Union([Type.String(), Type.Null()]) }),
  }),
  Type.Object({
    ...who,
    type: Type.Literal('stream_data'),
    data: Type.Object({
      stream_id: Type.String(),
      chunk: Type.String(),
      is_final: Type.Boolean(),
      seq: Type.Integer({ minimum: 0 }),
    }),
  }),
  Type.Object({
    ...who,
    type: Type.Literal('stream_end'),
    data: Type.Object({
      stream_id: Type.String(),
      success: Type.Boolean(),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
  }),
  Type.Object({
    ...who,
    type: Type.Literal('stream_pause'),
    data: Type.Object({ stream_id: Type.String() }),
  }),
  Type.Object({
    ...who,
    type: Type.Literal('stream_resume'),
    data: Type.Object({ stream_id: Type.String() }),
  }),
  Type.Object({
    ...who,
    type: Type.Literal('stream_cancel'),
    data: Type.Object({
      stream_id: Type.String(),
      by: Type.Union([Type.Literal('user'), Type.Literal('plugin'), Type.Literal('host')]),
    }),
  }),
]);

/** `plugin-ui-updated`: a new frame was recorded. */
export const PluginUiUpdatedPayload = Type.Object({
  ...who,
  revision: Type.Integer({ minimum: 0 }),
  tree: UiTree,
});

/** `plugin-disconnect-request`: the plugin asked to be disconnected. */
export const PluginDisconnectRequestPayload = Type.Object(who);

/** `plugin-reply`: the answer to one handle_message (immediate or deferred). */
export const PluginReplyPayload = Type.Object({
  ...who,
  request_id: Type.String(),
  ok: Type.Boolean(),
  content: Type.Union([Type.String(), Type.Null()]),
  error: Type.Optional(ErrorInfo),
});

/** `plugin-history`: an entry the host appended to an instance's history (user messages, errors). */
export const PluginHistoryPayload = Type.Object({ ...who, message: HistoryMessage });

/**
 * `plugin-history-cleared`: an instance's history was emptied (`clear_history`); every client drops
 * the chat it shows for that instance. Streams still open keep their entries, so their chunks land.
 */
export const PluginHistoryClearedPayload = Type.Object(who);

/** `plugin-log`: a log line from a plugin. */
export const PluginLogPayload = Type.Object({ ...who, level: LogLevel, message: Type.String() });

/** `plugin-custom`: a custom event a plugin sent with send_to_frontend. */
export const PluginCustomPayload = Type.Object({ ...who, event: Type.String(), payload: Type.Unknown() });

/** `plugin-status`: lifecycle changes, crashes and disabling. */
export const PluginStatusPayload = Type.Object({
  ...who,
  state: LifecycleState,
  error: Type.Optional(ErrorInfo),
});

const ev = <E extends string, P extends TSchema>(event: E, payload: P) =>
  Type.Object({ event: Type.Literal(event), payload });

/** Every event the host sends to a frontend. */
export const FrontendEvent = Type.Union([
  ev('plugin-message', PluginMessagePayload),
  ev('plugin-stream', PluginStreamPayload),
  ev('plugin-ui-updated', PluginUiUpdatedPayload),
  ev('plugin-disconnect-request', PluginDisconnectRequestPayload),
  ev('plugin-reply', PluginReplyPayload),
  ev('plugin-log', PluginLogPayload),
  ev('plugin-custom', PluginCustomPayload),
  ev('plugin-history', PluginHistoryPayload),
  ev('plugin-history-cleared', PluginHistoryClearedPayload),
  ev('plugin-status', PluginStatusPayload),
]);
export type FrontendEvent = Static<typeof FrontendEvent>;
export type FrontendEventName = FrontendEvent['event'];
export type FrontendEventOf<N extends FrontendEventName> = Extract<FrontendEvent, { event: N }>;
export type PluginMessagePayload = Static<typeof PluginMessagePayload>;
export type PluginStreamPayload = Static<typeof PluginStreamPayload>;
export type PluginUiUpdatedPayload = Static<typeof PluginUiUpdatedPayload>;
export type PluginReplyPayload = Static<typeof PluginReplyPayload>;
export type PluginLogPayload = Static<typeof PluginLogPayload>;
export type PluginHistoryPayload = Static<typeof PluginHistoryPayload>;
export type PluginHistoryClearedPayload = Static<typeof PluginHistoryClearedPayload>;
export type PluginCustomPayload = Static<typeof PluginCustomPayload>;
export type PluginStatusPayload = Static<typeof PluginStatusPayload>;
export const FRONTEND_EVENT_NAMES = [
  'plugin-message',
  'plugin-stream',
  'plugin-ui-updated',
  'plugin-disconnect-request',
  'plugin-reply',
  'plugin-log',
  'plugin-custom',
  'plugin-status',
  'plugin-history',
  'plugin-history-cleared',
] as const satisfies readonly FrontendEventName[];
