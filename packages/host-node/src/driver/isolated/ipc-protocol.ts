import type { ErrorCode, UiEvent } from '@plugin-interfaces/spec';
import { isErrorCode, validators } from '@plugin-interfaces/spec';
import type {
  CallOutcome,
  InstanceMetadata,
  LifecycleEntry,
  MessageOutcome,
  PluginEvent,
  RequestAnswer,
} from '../types.js';
import { LIFECYCLE_ENTRIES } from '../types.js';
import { isArrayOf, isBool, isInt, isNullableString, isOneOf, isRecord, isString } from './guards.js';
import {
  type FrameWire,
  isCallOutcome,
  isFrameWire,
  isInstanceMetadata,
  isLibraryInfoWire,
  isMessageOutcome,
  isPluginEvent,
  isRequestAnswer,
  type LibraryInfoWire,
} from './wire-guards.js';

/**
 * The IPC protocol between the isolated driver (parent) and one plugin process (child), over
 * Node's `process.send` channel (JSON). The parent opens with `hello`; the child answers `ready`
 * with the same `protocol` number or exits. Requests carry an id and get exactly one `result`.
 * Events travel child → parent in batches. A second pipe (fd 4, see `sync-channel.ts`) carries
 * the child's blocking `get_app_config` requests.
 */
export const PROTOCOL_VERSION = 1;

/** Every request and its result, by operation name. */
export interface Ops {
  load: { args: { path: string; sha256?: string | null }; result: LibraryInfoWire };
  create: { args: { meta: InstanceMetadata }; result: null };
  lifecycle: { args: { instanceId: string; entry: LifecycleEntry }; result: CallOutcome };
  updateUi: { args: { instanceId: string; events: readonly UiEvent[] }; result: FrameWire };
  handleMessage: { args: { instanceId: string; requestId: number; message: string }; result: MessageOutcome };
  sendJson: {
    args: { instanceId: string; entry: 'set_history' | 'apply_settings'; json: string | null };
    result: CallOutcome;
  };
  controlStream: {
    args: { instanceId: string; streamId: string; control: 'pause' | 'resume' | 'cancel' };
    result: CallOutcome;
  };
  destroy: { args: { instanceId: string }; result: null };
  closeLibrary: { args: Record<string, never>; result: null };
  ping: { args: Record<string, never>; result: null };
}
export type OpName = keyof Ops;
export const OP_NAMES: readonly OpName[] = [
  'load',
  'create',
  'lifecycle',
  'updateUi',
  'handleMessage',
  'sendJson',
  'controlStream',
  'destroy',
  'closeLibrary',
  'ping',
];

/** Options the child gets in `hello`. */
export interface ChildOptions {
  /** Module that exports `InProcessDriver` (tests may substitute another driver). */
  readonly driverModule: string | null;
  /** Events per batch before the child sends it. */
  readonly maxBatchEvents: number;
  /** Options of the in-process driver inside the child. */
  readonly inner: InnerDriverOptions;
}

/** The in-process driver options the parent chooses for the child (see InProcessDriverOptions). */
export interface InnerDriverOptions {
  /** false: stream credit comes back only through `grantCredit` from the parent's host logic. */
  readonly autoCredit: boolean;
  readonly creditWindow: number;
  readonly requestTimeoutMs: number;
  readonly destroyGraceMs: number;
}

function isInnerOptions(v: unknown): v is InnerDriverOptions {
  return (
    isRecord(v) &&
    isBool(v.autoCredit) &&
    isInt(v.creditWindow) &&
    isInt(v.requestTimeoutMs) &&
    isInt(v.destroyGraceMs)
  );
}

/** Parent → child. */
export type ParentMessage =
  | { readonly t: 'hello'; readonly protocol: number; readonly options: ChildOptions }
  | {
      [K in OpName]: {
        readonly t: 'call';
        readonly id: number;
        readonly op: K;
        readonly timeoutMs: number | null;
        readonly args: Ops[K]['args'];
      };
    }[OpName]
  | { readonly t: 'credit'; readonly instanceId: string; readonly streamId: string; readonly chunks: number }
  | { readonly t: 'answer'; readonly ticket: number; readonly answer: RequestAnswer }
  | { readonly t: 'shutdown' };

/** A failure as it travels (a HostError's essentials). */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

/** One instance's events inside a batch. */
export interface EventBatch {
  readonly instanceId: string;
  readonly events: readonly PluginEvent[];
}

/** Child → parent. */
export type ChildMessage =
  | { readonly t: 'ready'; readonly protocol: number; readonly pid: number }
  | { readonly t: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'result'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'events'; readonly batches: readonly EventBatch[] }
  | {
      readonly t: 'request';
      readonly ticket: number;
      readonly instanceId: string;
      readonly targetId: string;
      readonly message: string;
      /** A call the parent already checked (over the request pipe) and keeps ready under this id. */
      readonly prepared?: number;
    };

export function isWireError(v: unknown): v is WireError {
  return isRecord(v) && isErrorCode(v.code) && isString(v.message) && isBool(v.retryable);
}

function isEventBatch(v: unknown): v is EventBatch {
  return isRecord(v) && isString(v.instanceId) && isArrayOf(v.events, isPluginEvent);
}

/** Validate a message from the child. Results are checked per op later (`isOpResult`). */
export function isChildMessage(v: unknown): v is ChildMessage {
  if (!isRecord(v)) return false;
  switch (v.t) {
    case 'ready':
      return isInt(v.protocol) && isInt(v.pid);
    case 'result':
      return isInt(v.id) && (v.ok === true ? 'value' in v : v.ok === false && isWireError(v.error));
    case 'events':
      return isArrayOf(v.batches, isEventBatch);
    case 'request':
      return (
        isInt(v.ticket) &&
        isString(v.instanceId) &&
        isString(v.targetId) &&
        isString(v.message) &&
        (v.prepared === undefined || isInt(v.prepared))
      );
    default:
      return false;
  }
}

const resultGuards: { [K in OpName]: (v: unknown) => v is Ops[K]['result'] } = {
  load: isLibraryInfoWire,
  create: (v): v is null => v === null,
  lifecycle: isCallOutcome,
  updateUi: isFrameWire,
  handleMessage: isMessageOutcome,
  sendJson: isCallOutcome,
  controlStream: isCallOutcome,
  destroy: (v): v is null => v === null,
  closeLibrary: (v): v is null => v === null,
  ping: (v): v is null => v === null,
};

/** True when `v` is a valid result of `op`. */
export function isOpResult<K extends OpName>(op: K, v: unknown): v is Ops[K]['result'] {
  return resultGuards[op](v);
}

const argGuards: { [K in OpName]: (v: Record<string, unknown>) => boolean } = {
  load: (a) => isString(a.path) && (a.sha256 === undefined || a.sha256 === null || isString(a.sha256)),
  create: (a) => isInstanceMetadata(a.meta),
  lifecycle: (a) => isString(a.instanceId) && isOneOf(a.entry, LIFECYCLE_ENTRIES),
  updateUi: (a) =>
    isString(a.instanceId) && Array.isArray(a.events) && a.events.every((e) => validators.uiEvent.check(e)),
  handleMessage: (a) => isString(a.instanceId) && isInt(a.requestId) && isString(a.message),
  sendJson: (a) =>
    isString(a.instanceId) && isOneOf(a.entry, ['set_history', 'apply_settings']) && isNullableString(a.json),
  controlStream: (a) =>
    isString(a.instanceId) && isString(a.streamId) && isOneOf(a.control, ['pause', 'resume', 'cancel']),
  destroy: (a) => isString(a.instanceId),
  closeLibrary: () => true,
  ping: () => true,
};

/** Validate a message from the parent, arguments included. */
export function isParentMessage(v: unknown): v is ParentMessage {
  if (!isRecord(v)) return false;
  switch (v.t) {
    case 'hello':
      return (
        isInt(v.protocol) &&
        isRecord(v.options) &&
        isNullableString(v.options.driverModule) &&
        isInt(v.options.maxBatchEvents) &&
        isInnerOptions(v.options.inner)
      );
    case 'call':
      return (
        isInt(v.id) &&
        isOneOf(v.op, OP_NAMES) &&
        (v.timeoutMs === null || isInt(v.timeoutMs)) &&
        isRecord(v.args) &&
        argGuards[v.op](v.args)
      );
    case 'credit':
      return isString(v.instanceId) && isString(v.streamId) && isInt(v.chunks);
    case 'answer':
      return isInt(v.ticket) && isRequestAnswer(v.answer);
    case 'shutdown':
      return true;
    default:
      return false;
  }
}
