import { PiStatus } from '../../pi-status.js';
import { utf8Bytes } from '../../text-size.js';
import type { PluginEvent } from '../types.js';
import type { IsolationLimits } from './limits.js';

/** The string an event carries that the payload cap applies to. */
function payloadOf(e: PluginEvent): string | null {
  switch (e.kind) {
    case 'message':
      return e.content;
    case 'reply':
      return e.content;
    case 'stream_data':
      return e.chunk;
    case 'custom':
      return e.payloadJson;
    case 'log':
      return e.text;
    default:
      return null;
  }
}

/**
 * Events flood control leaves alone: a stream's chunks (they are held to the credit window, which
 * the host gives back only as its consumer takes them, so they are bounded already and a fast
 * consumer may see millions a second), and the events that close something the host keeps open –
 * a reply (its request waits) and a stream's end (the stream would stay open for ever).
 */
function exempt(e: PluginEvent): boolean {
  return e.kind === 'stream_data' || e.kind === 'reply' || e.kind === 'stream_end';
}

/**
 * The parent's check on events from a plugin process: a payload over the cap becomes a
 * `violation` event (a reply becomes an error reply, so the request is still answered), and
 * events beyond `maxEventsPerSecond` are dropped with one `violation` per second (flood control;
 * see {@link exempt} for what is never counted or dropped).
 */
export class EventGate {
  readonly #limits: IsolationLimits;
  readonly #label: () => string;
  #windowStart = 0;
  #inWindow = 0;
  #floodReported = false;

  constructor(limits: IsolationLimits, label: () => string) {
    this.#limits = limits;
    this.#label = label;
  }

  admit(events: readonly PluginEvent[]): PluginEvent[] {
    const now = Date.now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#inWindow = 0;
      this.#floodReported = false;
    }
    const out: PluginEvent[] = [];
    for (const e of events) {
      if (!exempt(e) && ++this.#inWindow > this.#limits.maxEventsPerSecond) {
        if (!this.#floodReported) {
          this.#floodReported = true;
          out.push({
            kind: 'violation',
            code: 'EVENT_RATE_EXCEEDED',
            message: `Plugin ${this.#label()} sent more than ${this.#limits.maxEventsPerSecond} events in one second; the excess was dropped.`,
          });
        }
        continue;
      }
      const payload = payloadOf(e);
      if (
        payload !== null &&
        payload.length * 3 > this.#limits.maxPayloadBytes &&
        utf8Bytes(payload) > this.#limits.maxPayloadBytes
      ) {
        const message = `A ${e.kind} event of plugin ${this.#label()} carries ${utf8Bytes(payload)} bytes; the limit is ${this.#limits.maxPayloadBytes}.`;
        if (e.kind === 'reply')
          out.push({ kind: 'reply', requestId: e.requestId, status: PiStatus.LIMIT_EXCEEDED, content: null });
        out.push({ kind: 'violation', code: 'PAYLOAD_TOO_LARGE', message });
        continue;
      }
      out.push(e);
    }
    return out;
  }
}
