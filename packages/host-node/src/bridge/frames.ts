import {
  BRIDGE_PROTOCOL,
  type BridgeRequest,
  type BridgeServerFrame,
  type ErrorInfo,
  type FrontendEvent,
  type Snapshot,
  tryParseJson,
  validators,
} from '@plugin-interfaces/spec';

/** An inbound frame that is not a valid request, with the request id when it could be read. */
export interface BadFrame {
  readonly id: number | undefined;
  readonly error: ErrorInfo;
}

/**
 * Parse and validate one inbound WebSocket message. Anything that is not a text frame holding a
 * JSON `BridgeRequest` (unknown op, missing or extra field, wrong type) is a `BRIDGE_BAD_FRAME`.
 */
export function parseRequest(data: string | null): { request: BridgeRequest } | { bad: BadFrame } {
  if (data === null) return bad(undefined, 'Frames must be UTF-8 text holding JSON, not binary.');
  const parsed = tryParseJson(data);
  if (!parsed.ok) return bad(undefined, `The frame is not valid JSON: ${parsed.error}`);
  const value = parsed.value;
  const id = readableId(value);
  const check = validators.bridgeRequest;
  if (check.check(value)) return { request: value };
  const op = isRecord(value) && typeof value.op === 'string' ? value.op : undefined;
  const known = op !== undefined && KNOWN_OPS.has(op);
  const why = op === undefined || known ? check.errors(value, 5).join('; ') : `unknown op "${op}"`;
  return bad(id, `The frame is not a valid bridge request: ${why}`);
}

const KNOWN_OPS = new Set<string>([
  'snapshot',
  'rescan',
  'load',
  'unload',
  'reload',
  'connect',
  'disconnect',
  'send_message',
  'ui_event',
  'stream_control',
  'set_app_config',
  'set_settings',
]);

function bad(id: number | undefined, message: string): { bad: BadFrame } {
  return { bad: { id, error: { code: 'BRIDGE_BAD_FRAME', message } } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readableId(v: unknown): number | undefined {
  if (!isRecord(v)) return undefined;
  const id = v.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

/** Build the frame answering a bad inbound frame: `result ok:false` when the id is known, else `error`. */
export function badFrameReply(b: BadFrame): BridgeServerFrame {
  return b.id === undefined
    ? { type: 'error', error: b.error }
    : { type: 'result', id: b.id, ok: false, error: b.error };
}

/** The `hello` frame sent first on every connection. */
export function helloFrame(snapshot: Snapshot): BridgeServerFrame {
  return { type: 'hello', protocol: BRIDGE_PROTOCOL, snapshot };
}

/** Wrap a host event. */
export function eventFrame(event: FrontendEvent): BridgeServerFrame {
  return { type: 'event', event };
}
