import {
  type ErrorCode,
  ISOLATED_IPC_OPS,
  ISOLATED_IPC_VERSION,
  type IsolatedIpcOp,
  type UiEvent,
  validators,
} from '@plugin-interfaces/spec';
import type {
  CallOutcome,
  InstanceMetadata,
  LifecycleEntry,
  MessageOutcome,
  OptionalEntry,
  PluginEvent,
  RequestAnswer,
} from '../types.js';

/**
 * The IPC protocol between the isolated driver (parent) and one plugin process (child), over
 * Node's `process.send` channel (JSON). The messages are schemas in the spec
 * (`@plugin-interfaces/spec`, `schemas/isolated-ipc.ts`, versioned by `ISOLATED_IPC_VERSION`);
 * each side validates what the other sends against them. The types below are the same messages
 * with the driver contract's types (checked against the schemas in `ipc-protocol.test-d.ts`).
 * A second pipe (fd 4, see `sync-channel.ts`) carries the child's blocking requests.
 */
export const PROTOCOL_VERSION = ISOLATED_IPC_VERSION;

/** LibraryInfo as it travels (the entry set becomes an array). */
export interface LibraryInfoWire {
  readonly path: string;
  readonly abiMajor: number;
  readonly abiMinor: number;
  readonly fingerprint: string;
  readonly sdk: string;
  readonly entries: readonly OptionalEntry[];
}

/** update_ui's outcome as it travels: the tree stays unchecked until `checkFrameTree` (limits.ts). */
export type FrameWire = { readonly ok: true; readonly tree: unknown } | Extract<CallOutcome, { ok: false }>;

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
export type OpName = keyof Ops & IsolatedIpcOp;
export const OP_NAMES: readonly OpName[] = ISOLATED_IPC_OPS;

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

/** Validate a message from the child against the spec's schema. Results are checked per op later (`isOpResult`). */
export function isChildMessage(v: unknown): v is ChildMessage {
  return validators.isolatedChildMessage.check(v);
}

/** True when `v` is a valid result of `op` (the spec's result schema of that op). */
export function isOpResult<K extends OpName>(op: K, v: unknown): v is Ops[K]['result'] {
  return validators.isolatedOpResult(op).check(v);
}

/** Validate a message from the parent, arguments included, against the spec's schema. */
export function isParentMessage(v: unknown): v is ParentMessage {
  return validators.isolatedParentMessage.check(v);
}

/** Validate the host's answer to a blocking request (the `answer` of the request pipe). */
export function isRequestAnswer(v: unknown): v is RequestAnswer {
  return validators.isolatedRequestAnswer.check(v);
}
