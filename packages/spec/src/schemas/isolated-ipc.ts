import {
  type Static,
  type TInteger,
  type TLiteral,
  type TNull,
  type TObject,
  type TSchema,
  type TUnion,
  Type,
} from '@sinclair/typebox';
import { ERROR_CODES } from '../errors.js';
import { LOG_LEVELS, MESSAGE_TYPES, StreamControl } from './common.js';
import { UiEvent } from './ui-tree.js';

/**
 * The IPC protocol between host-node's isolated driver (parent) and one plugin process (child),
 * over Node's `process.send` channel (JSON). The parent opens with `hello`; the child answers
 * `ready` with the same `protocol` number or exits. Every `call` gets exactly one `result`; events
 * travel child → parent in batches. Each side validates everything the other sends against these
 * schemas before using it. A change to a message that an older peer would misread bumps
 * {@link ISOLATED_IPC_VERSION}.
 */
export const ISOLATED_IPC_VERSION = 1;

/** Optional plugin vtable entries, in vtable order (the driver contract's entry set). */
export const PLUGIN_OPTIONAL_ENTRIES = [
  'on_mount',
  'on_dispose',
  'on_connect',
  'on_disconnect',
  'update_ui',
  'handle_message',
  'set_history',
  'get_metadata',
  'on_stream_control',
  'apply_settings',
] as const;

/** Plain lifecycle entry points: `(self, err) -> PiStatus`. */
export const PLUGIN_LIFECYCLE_ENTRIES = ['on_mount', 'on_dispose', 'on_connect', 'on_disconnect'] as const;

/** A union of string literals, typed as the union of those strings. */
function oneOf<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal<T[number]>(v)));
}
const Int = Type.Integer();
const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

/** A spec error code (`errorCodes`). */
export const IpcErrorCode = oneOf(ERROR_CODES);

/** A failed entry point: a PiStatus value and the plugin's error envelope. */
export const IpcFailure = Type.Object({
  ok: Type.Literal(false),
  status: Int,
  message: Str,
  detailJson: Str,
  retryable: Type.Boolean(),
});

/** The result of a plain entry point. */
export const IpcCallOutcome = Type.Union([Type.Object({ ok: Type.Literal(true) }), IpcFailure]);

/** handle_message's result: a reply now, a deferred (PENDING) reply, or a failure. */
export const IpcMessageOutcome = Type.Union([
  Type.Object({ ok: Type.Literal(true), pending: Type.Literal(false), reply: NullableStr }),
  Type.Object({ ok: Type.Literal(true), pending: Type.Literal(true) }),
  IpcFailure,
]);

/** update_ui's result as it travels: the tree is checked by the parent against the UI limits. */
export const IpcFrame = Type.Union([
  Type.Object({ ok: Type.Literal(true), tree: Type.Array(Type.Unknown()) }),
  IpcFailure,
]);

/** The host's answer to a blocking plugin request (PiStatus value and text). */
export const IpcRequestAnswer = Type.Object({ status: Int, value: NullableStr });

/** What the child reports about a loaded library (the entry set as an array). */
export const IpcLibraryInfo = Type.Object({
  path: Str,
  abiMajor: Int,
  abiMinor: Int,
  fingerprint: Str,
  sdk: Str,
  entries: Type.Array(oneOf(PLUGIN_OPTIONAL_ENTRIES)),
});

/** The strings PiPluginMetadata carries, for `create`. */
export const IpcInstanceMetadata = Type.Object({
  id: Str,
  name: Str,
  description: Str,
  version: Str,
  author: NullableStr,
  pluginDir: Str,
  libraryPath: Str,
  configPath: Str,
  instanceId: Str,
  settingsJson: Str,
  requireHistory: Type.Boolean(),
});

/** One plugin event, by kind (host-node's `PluginEvent`). */
export const IpcPluginEvent = Type.Union([
  Type.Object({ kind: Type.Literal('message'), messageType: oneOf(MESSAGE_TYPES), content: Str }),
  Type.Object({ kind: Type.Literal('reply'), requestId: Int, status: Int, content: NullableStr }),
  Type.Object({ kind: Type.Literal('stream_start'), streamId: Str, title: NullableStr }),
  Type.Object({ kind: Type.Literal('stream_data'), streamId: Str, chunk: Str, seq: Int }),
  Type.Object({
    kind: Type.Literal('stream_end'),
    streamId: Str,
    success: Type.Boolean(),
    error: NullableStr,
  }),
  Type.Object({ kind: oneOf(['stream_pause', 'stream_resume']), streamId: Str }),
  Type.Object({ kind: Type.Literal('stream_cancel'), streamId: Str, by: oneOf(['plugin', 'user', 'host']) }),
  Type.Object({ kind: Type.Literal('custom'), event: Str, payloadJson: Str }),
  Type.Object({ kind: Type.Literal('log'), level: oneOf(LOG_LEVELS), text: Str }),
  Type.Object({ kind: oneOf(['request_refresh', 'request_disconnect']) }),
  Type.Object({ kind: Type.Literal('violation'), code: IpcErrorCode, message: Str }),
]);

const Empty = Type.Object({});
const op = <A extends TSchema, R extends TSchema>(args: A, result: R) => ({ args, result });

/** Every operation the parent calls in the child: its arguments and its result. */
export const IsolatedIpcOps = {
  load: op(Type.Object({ path: Str, sha256: Type.Optional(NullableStr) }), IpcLibraryInfo),
  create: op(Type.Object({ meta: IpcInstanceMetadata }), Type.Null()),
  lifecycle: op(Type.Object({ instanceId: Str, entry: oneOf(PLUGIN_LIFECYCLE_ENTRIES) }), IpcCallOutcome),
  updateUi: op(Type.Object({ instanceId: Str, events: Type.Array(UiEvent) }), IpcFrame),
  handleMessage: op(Type.Object({ instanceId: Str, requestId: Int, message: Str }), IpcMessageOutcome),
  sendJson: op(
    Type.Object({ instanceId: Str, entry: oneOf(['set_history', 'apply_settings']), json: NullableStr }),
    IpcCallOutcome,
  ),
  controlStream: op(Type.Object({ instanceId: Str, streamId: Str, control: StreamControl }), IpcCallOutcome),
  destroy: op(Type.Object({ instanceId: Str }), Type.Null()),
  closeLibrary: op(Empty, Type.Null()),
  ping: op(Empty, Type.Null()),
} as const;
export type IsolatedIpcOp = keyof typeof IsolatedIpcOps;
export const ISOLATED_IPC_OPS = Object.keys(IsolatedIpcOps) as IsolatedIpcOp[];

/** The in-process driver options the parent chooses for the child. */
export const IpcInnerDriverOptions = Type.Object({
  autoCredit: Type.Boolean(),
  creditWindow: Int,
  requestTimeoutMs: Int,
  destroyGraceMs: Int,
});

/** Options the child gets in `hello`. */
export const IpcChildOptions = Type.Object({
  driverModule: NullableStr,
  maxBatchEvents: Int,
  inner: IpcInnerDriverOptions,
});

/** The schema type of a `call` of op K. */
type CallSchema<K extends IsolatedIpcOp> = TObject<{
  t: TLiteral<'call'>;
  id: TInteger;
  op: TLiteral<K>;
  timeoutMs: TUnion<[TInteger, TNull]>;
  args: (typeof IsolatedIpcOps)[K]['args'];
}>;

/** A `call` of one op, typed with that op's arguments (TypeScript does not narrow the lookup by itself). */
function call<K extends IsolatedIpcOp>(name: K): CallSchema<K> {
  return Type.Object({
    t: Type.Literal('call'),
    id: Int,
    op: Type.Literal(name),
    timeoutMs: Type.Union([Int, Type.Null()]),
    args: IsolatedIpcOps[name].args,
  }) as unknown as CallSchema<K>;
}

/** Parent → child (one `call` per op in {@link IsolatedIpcOps}). */
export const IsolatedParentMessage = Type.Union([
  Type.Object({ t: Type.Literal('hello'), protocol: Int, options: IpcChildOptions }),
  call('load'),
  call('create'),
  call('lifecycle'),
  call('updateUi'),
  call('handleMessage'),
  call('sendJson'),
  call('controlStream'),
  call('destroy'),
  call('closeLibrary'),
  call('ping'),
  Type.Object({ t: Type.Literal('credit'), instanceId: Str, streamId: Str, chunks: Int }),
  Type.Object({ t: Type.Literal('answer'), ticket: Int, answer: IpcRequestAnswer }),
  Type.Object({ t: Type.Literal('shutdown') }),
]);

/** A failure as it travels (a HostError's essentials). */
export const IpcWireError = Type.Object({ code: IpcErrorCode, message: Str, retryable: Type.Boolean() });

/** One instance's events inside a batch. */
export const IpcEventBatch = Type.Object({ instanceId: Str, events: Type.Array(IpcPluginEvent) });

/** Child → parent. A result's `value` is checked per op against {@link IsolatedIpcOps}. */
export const IsolatedChildMessage = Type.Union([
  Type.Object({ t: Type.Literal('ready'), protocol: Int, pid: Int }),
  Type.Object({ t: Type.Literal('result'), id: Int, ok: Type.Literal(true), value: Type.Unknown() }),
  Type.Object({ t: Type.Literal('result'), id: Int, ok: Type.Literal(false), error: IpcWireError }),
  Type.Object({ t: Type.Literal('events'), batches: Type.Array(IpcEventBatch) }),
  Type.Object({
    t: Type.Literal('request'),
    ticket: Int,
    instanceId: Str,
    targetId: Str,
    message: Str,
    prepared: Type.Optional(
      Type.Integer({ description: 'A call the parent already checked and keeps ready.' }),
    ),
  }),
]);

/**
 * The child's blocking requests over the request pipe (fd 4), answered with an
 * {@link IpcRequestAnswer} each: an app config read, a `call_other_plugin` to check (and keep
 * ready), and the wait for a kept call by its id.
 */
export const IpcAppConfigRequest = Type.Object({
  instanceId: Str,
  key: Str,
  call: Type.Optional(Type.Never()),
});
export const IpcCallRequest = Type.Object({
  call: Type.Literal(true),
  instanceId: Str,
  targetId: Str,
  message: Str,
});
/** `wait` is the id a checked call was kept under; an unknown or malformed id is answered NOT_FOUND. */
export const IpcWaitRequest = Type.Object({ call: Type.Literal(true), wait: Type.Unknown() });

export type IsolatedParentMessage = Static<typeof IsolatedParentMessage>;
export type IsolatedChildMessage = Static<typeof IsolatedChildMessage>;
export type IpcPluginEvent = Static<typeof IpcPluginEvent>;
export type IpcCallOutcome = Static<typeof IpcCallOutcome>;
export type IpcMessageOutcome = Static<typeof IpcMessageOutcome>;
export type IpcFrame = Static<typeof IpcFrame>;
export type IpcLibraryInfo = Static<typeof IpcLibraryInfo>;
export type IpcInstanceMetadata = Static<typeof IpcInstanceMetadata>;
export type IpcRequestAnswer = Static<typeof IpcRequestAnswer>;
export type IpcChildOptions = Static<typeof IpcChildOptions>;
export type IpcWireError = Static<typeof IpcWireError>;
/** The arguments and the result of one op, as validated. */
export type IsolatedIpcArgs<K extends IsolatedIpcOp> = Static<(typeof IsolatedIpcOps)[K]['args']>;
export type IsolatedIpcResult<K extends IsolatedIpcOp> = Static<(typeof IsolatedIpcOps)[K]['result']>;
export type IpcAppConfigRequest = Static<typeof IpcAppConfigRequest>;
export type IpcCallRequest = Static<typeof IpcCallRequest>;
export type IpcWaitRequest = Static<typeof IpcWaitRequest>;
