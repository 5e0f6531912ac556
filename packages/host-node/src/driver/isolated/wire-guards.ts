import { isErrorCode, LOG_LEVELS, MESSAGE_TYPES } from '@plugin-interfaces/spec';
import type {
  CallOutcome,
  InstanceMetadata,
  MessageOutcome,
  OptionalEntry,
  PluginEvent,
  RequestAnswer,
} from '../types.js';
import { OPTIONAL_ENTRIES } from '../types.js';
import { isArrayOf, isBool, isInt, isNullableString, isOneOf, isRecord, isString } from './guards.js';

/**
 * Guards for the driver-contract values that cross the IPC boundary (outcomes, events, metadata).
 * The parent runs them on everything the child sends; the child runs them on what the parent sends.
 */

/** LibraryInfo as it travels (the entry set becomes an array). */
export interface LibraryInfoWire {
  readonly path: string;
  readonly abiMajor: number;
  readonly abiMinor: number;
  readonly fingerprint: string;
  readonly sdk: string;
  readonly entries: readonly OptionalEntry[];
}

export function isLibraryInfoWire(v: unknown): v is LibraryInfoWire {
  return (
    isRecord(v) &&
    isString(v.path) &&
    isInt(v.abiMajor) &&
    isInt(v.abiMinor) &&
    isString(v.fingerprint) &&
    isString(v.sdk) &&
    isArrayOf(v.entries, (e): e is OptionalEntry => isOneOf(e, OPTIONAL_ENTRIES))
  );
}

export function isInstanceMetadata(v: unknown): v is InstanceMetadata {
  if (!isRecord(v)) return false;
  for (const k of [
    'id',
    'name',
    'description',
    'version',
    'pluginDir',
    'libraryPath',
    'configPath',
    'instanceId',
  ]) {
    if (!isString(v[k])) return false;
  }
  return isNullableString(v.author) && isString(v.settingsJson) && isBool(v.requireHistory);
}

function isFailure(v: Record<string, unknown>): boolean {
  return (
    v.ok === false && isInt(v.status) && isString(v.message) && isString(v.detailJson) && isBool(v.retryable)
  );
}

export function isCallOutcome(v: unknown): v is CallOutcome {
  return isRecord(v) && (v.ok === true || isFailure(v));
}

export function isMessageOutcome(v: unknown): v is MessageOutcome {
  if (!isRecord(v)) return false;
  if (v.ok === true) return v.pending === true || (v.pending === false && isNullableString(v.reply));
  return isFailure(v);
}

/** update_ui's outcome as it travels: the tree stays unchecked until `checkFrameTree` (limits.ts). */
export type FrameWire = { readonly ok: true; readonly tree: unknown } | Extract<CallOutcome, { ok: false }>;

export function isFrameWire(v: unknown): v is FrameWire {
  if (!isRecord(v)) return false;
  if (v.ok === true) return Array.isArray(v.tree);
  return isFailure(v);
}

export function isRequestAnswer(v: unknown): v is RequestAnswer {
  return isRecord(v) && isInt(v.status) && isNullableString(v.value);
}

/** One plugin event, by kind. */
export function isPluginEvent(v: unknown): v is PluginEvent {
  if (!isRecord(v)) return false;
  switch (v.kind) {
    case 'message':
      return isOneOf(v.messageType, MESSAGE_TYPES) && isString(v.content);
    case 'reply':
      return isInt(v.requestId) && isInt(v.status) && isNullableString(v.content);
    case 'stream_start':
      return isString(v.streamId) && isNullableString(v.title);
    case 'stream_data':
      return isString(v.streamId) && isString(v.chunk) && isInt(v.seq);
    case 'stream_end':
      return isString(v.streamId) && isBool(v.success) && isNullableString(v.error);
    case 'stream_pause':
    case 'stream_resume':
      return isString(v.streamId);
    case 'stream_cancel':
      return isString(v.streamId) && isOneOf(v.by, ['plugin', 'user', 'host']);
    case 'custom':
      return isString(v.event) && isString(v.payloadJson);
    case 'log':
      return isOneOf(v.level, LOG_LEVELS) && isString(v.text);
    case 'request_refresh':
    case 'request_disconnect':
      return true;
    case 'violation':
      return isErrorCode(v.code) && isString(v.message);
    default:
      return false;
  }
}
