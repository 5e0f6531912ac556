import {
  BRIDGE_PROTOCOL,
  BridgeRequest,
  type BridgeServerFrame,
  createValidator,
  type ErrorCode,
  type ErrorInfo,
  type FrontendEvent,
  LIMITS,
  type Snapshot,
  tryParseJson,
  UiNode,
  type Validator,
  validators,
} from '@plugin-interfaces/spec';
import { jsonBytes } from '../text-size.js';
import { deeperThan } from './client-json.js';

/** An inbound frame that is not a valid request, with the request id when it could be read. */
export interface BadFrame {
  readonly id: number | undefined;
  readonly error: ErrorInfo;
}

/**
 * Parse and validate one inbound WebSocket message. Anything that is not a text frame holding a
 * JSON `BridgeRequest` (unknown op, missing or extra field, wrong type, a key outside the key
 * pattern) is a `BRIDGE_BAD_FRAME` naming the field; JSON nested deeper than
 * `LIMITS.maxJsonDepth`, an app-config value over `LIMITS.maxAppConfigValueBytes` or settings
 * over `LIMITS.maxSettingsBytes` are `PAYLOAD_TOO_LARGE` naming the limit. The depth is checked
 * before any other code walks the value.
 */
export function parseRequest(data: string | null): { request: BridgeRequest } | { bad: BadFrame } {
  if (data === null) return bad(undefined, 'Frames must be UTF-8 text holding JSON, not binary.');
  const parsed = tryParseJson(data);
  if (!parsed.ok) return bad(undefined, `The frame is not valid JSON: ${parsed.error}`);
  const value = parsed.value;
  const id = readableId(value);
  if (deeperThan(value, LIMITS.maxJsonDepth))
    return tooLarge(
      id,
      'maxJsonDepth',
      `The frame nests arrays or objects more than ${LIMITS.maxJsonDepth} levels deep.`,
    );
  if (!validators.bridgeRequest.check(value))
    return bad(id, `The frame is not a valid bridge request: ${whyInvalid(value)}`);
  return sizeProblem(value) ?? { request: value };
}

/** The first problem of a frame that failed the union schema, phrased for its own op. */
function whyInvalid(value: unknown): string {
  const op = isRecord(value) && typeof value.op === 'string' ? value.op : undefined;
  if (op === undefined) return validators.bridgeRequest.errors(value, 5).join('; ') || '/op: missing';
  const check = opValidator(op);
  if (check === undefined) return `unknown op "${op}"`;
  return check.errors(value, 5).join('; ');
}

/** The size limits a schema cannot state (JSON size of free-form values). */
function sizeProblem(req: BridgeRequest): { bad: BadFrame } | undefined {
  if (req.op === 'set_app_config') {
    const bytes = jsonBytes(req.value);
    if (bytes > LIMITS.maxAppConfigValueBytes)
      return tooLarge(
        req.id,
        'maxAppConfigValueBytes',
        `The app-config value for "${req.key}" is ${bytes} bytes of JSON; at most ${LIMITS.maxAppConfigValueBytes} are allowed.`,
      );
  }
  if (req.op === 'set_settings') {
    const bytes = jsonBytes(req.settings);
    if (bytes > LIMITS.maxSettingsBytes)
      return tooLarge(
        req.id,
        'maxSettingsBytes',
        `The settings are ${bytes} bytes of JSON; at most ${LIMITS.maxSettingsBytes} are allowed.`,
      );
  }
  return undefined;
}

/** One validator per op (compiled on first use), so errors name the field instead of "union". */
const opValidators = new Map<string, Validator<(typeof BridgeRequest.anyOf)[number]>>();
function opValidator(op: string): Validator<(typeof BridgeRequest.anyOf)[number]> | undefined {
  let v = opValidators.get(op);
  if (v === undefined) {
    const schema = BridgeRequest.anyOf.find((s) => s.properties.op.const === op);
    if (schema === undefined) return undefined;
    v = createValidator(schema, [UiNode]);
    opValidators.set(op, v);
  }
  return v;
}

function bad(
  id: number | undefined,
  message: string,
  code: ErrorCode = 'BRIDGE_BAD_FRAME',
  detail?: unknown,
): { bad: BadFrame } {
  return { bad: { id, error: detail === undefined ? { code, message } : { code, message, detail } } };
}

function tooLarge(id: number | undefined, limit: string, message: string): { bad: BadFrame } {
  return bad(id, `${message} (limit ${limit})`, 'PAYLOAD_TOO_LARGE', { limit });
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
