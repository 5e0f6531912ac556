import { type ErrorCode, LOG_LEVELS, MESSAGE_TYPES } from '@plugin-interfaces/spec';
import { PiLogLevel, PiStatus } from '../../generated/abi.js';
import { ControlBy, PiRtRecord, RecordKind, Sentinel } from '../../generated/runtime.js';
import { requestKindName } from '../../native/runtime.js';
import type { PluginEvent } from '../types.js';

/** Bytes of one record header (PiRtRecord). */
export const RECORD_SIZE = PiRtRecord.size;
const NULL_LEN = Sentinel.NULL_LENGTH;
const O = PiRtRecord.offsets;
const BY: Record<number, 'plugin' | 'user' | 'host'> = {
  [ControlBy.PLUGIN]: 'plugin',
  [ControlBy.USER]: 'user',
  [ControlBy.HOST]: 'host',
};

/** A blocking request a plugin thread is waiting on. */
export interface RequestRecord {
  readonly ticket: bigint;
  readonly kind: 'app_config' | 'call_plugin';
  readonly a: string;
  readonly b: string | null;
}

/** What one drained batch holds, plus the stream bookkeeping the instance needs. */
export interface DecodedBatch {
  readonly events: PluginEvent[];
  readonly requests: RequestRecord[];
  /** Chunks per stream handle in this batch (for credit). */
  readonly chunks: Map<number, number>;
  /** Stream handles that started / ended (completed, error, cancelled) in this batch, in order. */
  readonly started: number[];
  readonly ended: number[];
}

function violationCode(reason: string, status: number): ErrorCode {
  if (reason.includes('UTF-8')) return 'INVALID_UTF8';
  if (reason.includes('JSON')) return 'INVALID_JSON';
  if (status === PiStatus.LIMIT_EXCEEDED) return 'PAYLOAD_TOO_LARGE';
  if (status === PiStatus.INVALID_STATE) return 'LIFECYCLE_ORDER';
  return 'PLUGIN_CALL_FAILED';
}

const decoder = new TextDecoder('utf-8');

/**
 * Decode `count` records: headers from `hdr`, strings from `str[0..strLen)`. The strings of the
 * whole batch are decoded in one TextDecoder pass and sliced by the UTF-16 lengths the native side
 * measured while validating them. `streamId` maps a stream handle to its public id.
 */
export function decodeRecords(
  hdr: DataView,
  count: number,
  str: Uint8Array,
  strLen: number,
  streamId: (handle: number) => string,
  into: DecodedBatch,
): void {
  const text = strLen > 0 ? decoder.decode(str.subarray(0, strLen)) : '';
  let pos = 0;
  const take = (len: number, u16: number): string | null => {
    if (len === NULL_LEN) return null;
    const s = text.slice(pos, pos + u16);
    pos += u16;
    return s;
  };
  const { events } = into;
  for (let i = 0; i < count; i++) {
    const o = i * RECORD_SIZE;
    const kind = hdr.getUint32(o + O.kind, true);
    const i1 = hdr.getInt32(o + O.i1, true);
    // Handles and sequence numbers stay below 2^53: read as two 32-bit halves (no BigInt per record).
    const h = hdr.getUint32(o + O.a, true) + hdr.getUint32(o + O.a + 4, true) * 0x1_0000_0000;
    const seq = hdr.getUint32(o + O.b, true) + hdr.getUint32(o + O.b + 4, true) * 0x1_0000_0000;
    const s1 = take(hdr.getUint32(o + O.len1, true), hdr.getUint32(o + O.u16len1, true));
    const s2 = take(hdr.getUint32(o + O.len2, true), hdr.getUint32(o + O.u16len2, true));
    switch (kind) {
      case RecordKind.STREAM_DATA:
        events.push({ kind: 'stream_data', streamId: streamId(h), chunk: s1 ?? '', seq });
        into.chunks.set(h, (into.chunks.get(h) ?? 0) + 1);
        break;
      case RecordKind.MESSAGE:
        events.push({ kind: 'message', messageType: MESSAGE_TYPES[i1] ?? 'normal', content: s1 ?? '' });
        break;
      case RecordKind.REPLY:
        events.push({ kind: 'reply', requestId: h, status: i1, content: s1 });
        break;
      case RecordKind.STREAM_START:
        events.push({ kind: 'stream_start', streamId: streamId(h), title: s1 });
        into.started.push(h);
        break;
      case RecordKind.STREAM_END:
        events.push({ kind: 'stream_end', streamId: streamId(h), success: i1 !== 0, error: s1 });
        into.ended.push(h);
        break;
      case RecordKind.STREAM_PAUSE:
        events.push({ kind: 'stream_pause', streamId: streamId(h) });
        break;
      case RecordKind.STREAM_RESUME:
        events.push({ kind: 'stream_resume', streamId: streamId(h) });
        break;
      case RecordKind.STREAM_CANCEL:
        events.push({ kind: 'stream_cancel', streamId: streamId(h), by: BY[i1] ?? 'plugin' });
        into.ended.push(h);
        break;
      case RecordKind.CUSTOM:
        events.push({ kind: 'custom', event: s1 ?? '', payloadJson: s2 ?? 'null' });
        break;
      case RecordKind.LOG:
        events.push({ kind: 'log', level: LOG_LEVELS[i1 - PiLogLevel.ERROR] ?? 'info', text: s1 ?? '' });
        break;
      case RecordKind.REFRESH:
        events.push({ kind: 'request_refresh' });
        break;
      case RecordKind.DISCONNECT:
        events.push({ kind: 'request_disconnect' });
        break;
      case RecordKind.VIOLATION:
        events.push({
          kind: 'violation',
          code: violationCode(s2 ?? '', i1),
          message: `${s1 ?? 'host call'} refused: ${s2 ?? ''}`,
        });
        break;
      case RecordKind.REQUEST:
        into.requests.push({
          ticket: hdr.getBigUint64(o + O.a, true),
          kind: requestKindName(i1),
          a: s1 ?? '',
          b: s2,
        });
        break;
    }
  }
}

/** An empty batch to decode into. */
export function emptyBatch(): DecodedBatch {
  return { events: [], requests: [], chunks: new Map(), started: [], ended: [] };
}
