import { type Static, Type } from '@sinclair/typebox';
import { LIMITS } from '../limits.js';
import { ErrorInfo, InstanceId, LifecycleState, PluginId, StreamControl } from './common.js';
import { SettingSpec } from './config.js';
import { FrontendEvent } from './events.js';
import { HistoryMessage } from './history.js';
import { UiEvent, UiTree } from './ui-tree.js';

/** Version of the browser ⇄ host bridge protocol. */
export const BRIDGE_PROTOCOL = 1;
/** Largest frame the bridge accepts, in bytes. */
export const BRIDGE_MAX_FRAME = 1024 * 1024;

/**
 * Keys a client may use for app config and settings: ASCII letters, digits, `_`, `.`, `-`, at most
 * `LIMITS.maxAppConfigKeyChars`; never `__proto__`, `constructor` or `prototype` (they would
 * reach `Object.prototype` in any store or view that is a plain object).
 */
export const CLIENT_KEY_PATTERN = `^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_.-]{1,${LIMITS.maxAppConfigKeyChars}}$`;
const ClientKey = Type.String({ pattern: CLIENT_KEY_PATTERN, description: 'App-config or setting key.' });

/** Where a config or load error points. */
export const SourceLocation = Type.Object({
  file: Type.String(),
  line: Type.Optional(Type.Integer({ minimum: 1 })),
  column: Type.Optional(Type.Integer({ minimum: 1 })),
});

/**
 * A problem in a config.toml that does not stop the plugin (an unknown key, a `[user]` value mapped
 * to a setting): the key path, what is wrong, a suggestion when one is close, and where it is written.
 */
export const ConfigWarning = Type.Object({
  key: Type.String(),
  message: Type.String(),
  suggestion: Type.Optional(Type.String()),
  location: Type.Optional(SourceLocation),
});
export type ConfigWarning = Static<typeof ConfigWarning>;

/** A discovered plugin, as lists and snapshots show it. */
export const PluginInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.String(),
  description: Type.String(),
  author: Type.Optional(Type.String()),
  dir: Type.String(),
  status: Type.Union([Type.Literal('ready'), Type.Literal('error'), Type.Literal('disabled')]),
  error: Type.Optional(Type.Intersect([ErrorInfo, Type.Object({ location: Type.Optional(SourceLocation) })])),
  require_history: Type.Boolean(),
  settings: Type.Optional(Type.Record(Type.String(), SettingSpec)),
  isolation: Type.Optional(Type.Union([Type.Literal('in-process'), Type.Literal('isolated')])),
  category: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  warnings: Type.Optional(Type.Array(ConfigWarning)),
});
export type PluginInfo = Static<typeof PluginInfo>;

export const StreamState = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('completed'),
  Type.Literal('error'),
  Type.Literal('cancelled'),
]);
export type StreamState = Static<typeof StreamState>;

export const StreamInfo = Type.Object({
  stream_id: Type.String(),
  state: StreamState,
  content: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  dropped_bytes: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Bytes of the stream the host no longer keeps; content is the tail.',
    }),
  ),
});
export type StreamInfo = Static<typeof StreamInfo>;

/**
 * What a view of an instance left out to stay under the frame cap: `history` older entries the
 * host still keeps (page them with `host.history(id, { before: history[0].id })`), `dropped`
 * entries the host no longer keeps at all, and whether the UI tree was left out (it arrives with
 * the next `plugin-ui-updated`).
 */
export const InstanceTruncation = Type.Object({
  history: Type.Integer({ minimum: 0 }),
  dropped: Type.Integer({ minimum: 0 }),
  tree: Type.Boolean(),
});
export type InstanceTruncation = Static<typeof InstanceTruncation>;

/** Shown instead of a secret setting's value everywhere except towards its own plugin. */
export const SecretMarker = Type.Object(
  { secret: Type.Union([Type.Literal('set'), Type.Literal('unset')]) },
  { additionalProperties: false },
);
export type SecretMarker = Static<typeof SecretMarker>;

/** True for a `{ secret: 'set' | 'unset' }` marker. */
export function isSecretMarker(value: unknown): value is SecretMarker {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const s = (value as { secret?: unknown }).secret;
  return keys.length === 1 && (s === 'set' || s === 'unset');
}

/** One running (or loading, crashed, disabled) instance, as a snapshot shows it. */
export const InstanceInfo = Type.Object({
  instance_id: InstanceId,
  plugin_id: PluginId,
  state: LifecycleState,
  revision: Type.Integer({ minimum: 0 }),
  tree: UiTree,
  history: Type.Array(HistoryMessage),
  streams: Type.Array(StreamInfo),
  settings: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Setting values; a secret setting shows as { secret: "set" | "unset" }.',
  }),
  error: Type.Optional(ErrorInfo),
  truncated: Type.Optional(InstanceTruncation),
});
export type InstanceInfo = Static<typeof InstanceInfo>;

/** Everything a client needs to draw the current state; sent on connect and on request. */
export const Snapshot = Type.Object({
  plugins: Type.Array(PluginInfo),
  instances: Type.Array(InstanceInfo),
  app_config: Type.Record(Type.String(), Type.Unknown()),
  truncated: Type.Optional(
    Type.Object({
      instances: Type.Integer({
        minimum: 0,
        description: 'Instances left out to stay under the frame cap (ask for them one by one).',
      }),
    }),
  ),
});
export type Snapshot = Static<typeof Snapshot>;

/** One page of an instance's history, oldest first (`host.history(instanceId, { before, limit })`). */
export const HistoryPage = Type.Object({
  messages: Type.Array(HistoryMessage),
  more: Type.Integer({
    minimum: 0,
    description: 'Older entries still kept: ask again with before = messages[0].id.',
  }),
  dropped: Type.Integer({
    minimum: 0,
    description: 'Entries the host no longer keeps (its history bounds).',
  }),
});
export type HistoryPage = Static<typeof HistoryPage>;

const req = <O extends string, P extends Parameters<typeof Type.Object>[0]>(op: O, props: P) =>
  Type.Object(
    { id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), op: Type.Literal(op), ...props },
    { additionalProperties: false },
  );

/** Requests a client sends; each gets one `result` frame with the same id. */
export const BridgeRequest = Type.Union([
  req('snapshot', {}),
  req('rescan', {}),
  req('load', {
    plugin_id: PluginId,
    instance_id: Type.Optional(InstanceId),
    /** Setting values for the new instance (checked against the plugin's `[settings]`); defaults fill the rest. */
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
  req('unload', { instance_id: InstanceId }),
  req('reload', { plugin_id: PluginId }),
  req('connect', { instance_id: InstanceId }),
  req('disconnect', { instance_id: InstanceId }),
  req('send_message', { instance_id: InstanceId, message: Type.String({ maxLength: BRIDGE_MAX_FRAME }) }),
  req('ui_event', { instance_id: InstanceId, event: UiEvent }),
  req('stream_control', {
    instance_id: InstanceId,
    stream_id: Type.String(),
    control: StreamControl,
  }),
  req('history', {
    instance_id: InstanceId,
    /** Entries older than this entry id (default: from the newest). */
    before: Type.Optional(Type.String({ maxLength: 256 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  }),
  /** Empty an instance's history (open streams keep their entries); clients hear `plugin-history-cleared`. */
  req('clear_history', { instance_id: InstanceId }),
  /** The plugin processes of an isolated host: pid, memory, restarts (hosts without them refuse with UNSUPPORTED). */
  req('process_info', {}),
  req('set_app_config', { key: ClientKey, value: Type.Unknown() }),
  req('set_settings', {
    instance_id: InstanceId,
    settings: Type.Record(ClientKey, Type.Unknown(), { additionalProperties: false }),
  }),
]);
export type BridgeRequest = Static<typeof BridgeRequest>;
export type BridgeOp = BridgeRequest['op'];

/** One plugin process of an isolated host, as `process_info` reports it. */
export const ProcessInfo = Type.Object({
  plugin_id: PluginId,
  pid: Type.Integer({ minimum: 1 }),
  /** Resident memory in bytes, or null when the platform does not say. */
  rss_bytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** How many times the plugin's process crashed and was restarted since the host started. */
  restarts: Type.Integer({ minimum: 0 }),
});
export type ProcessInfo = Static<typeof ProcessInfo>;

/** Frames the host sends. */
export const BridgeServerFrame = Type.Union([
  Type.Object({ type: Type.Literal('hello'), protocol: Type.Literal(BRIDGE_PROTOCOL), snapshot: Snapshot }),
  Type.Object({
    type: Type.Literal('result'),
    id: Type.Integer(),
    ok: Type.Literal(true),
    value: Type.Unknown(),
  }),
  Type.Object({
    type: Type.Literal('result'),
    id: Type.Integer(),
    ok: Type.Literal(false),
    error: ErrorInfo,
  }),
  Type.Object({ type: Type.Literal('event'), event: FrontendEvent }),
  Type.Object({ type: Type.Literal('error'), error: ErrorInfo }),
]);
export type BridgeServerFrame = Static<typeof BridgeServerFrame>;

/** The `value` of a successful `result` frame, per request op. */
export const BridgeResults = {
  snapshot: Snapshot,
  rescan: Type.Array(PluginInfo),
  load: InstanceInfo,
  unload: Type.Null(),
  reload: Type.Array(InstanceInfo),
  connect: Type.Null(),
  disconnect: Type.Null(),
  send_message: Type.Object({
    request_id: Type.String(),
    reply: Type.Union([Type.String(), Type.Null()]),
  }),
  ui_event: Type.Null(),
  stream_control: Type.Null(),
  history: HistoryPage,
  clear_history: Type.Null(),
  process_info: Type.Array(ProcessInfo),
  set_app_config: Type.Null(),
  set_settings: Type.Record(Type.String(), Type.Unknown()),
} as const satisfies Record<BridgeOp, unknown>;
export type BridgeResultOf<O extends BridgeOp> = Static<(typeof BridgeResults)[O]>;
