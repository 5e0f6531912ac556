import { PAGE_LIMITS } from '../limits.js';
import { collectSecretKeys, redactValue } from './redact.js';

/** Which way a logged frame went, or a connection change. */
export type FrameDirection = 'in' | 'out' | 'status';

/** The answer a request got: paired by request id. */
export interface FrameAnswer {
  /** `seq` of the result frame. */
  readonly seq: number;
  readonly ok: boolean;
  /** Milliseconds from sending the request to its result. */
  readonly ms: number;
}

/** One line of the event inspector. */
export interface FrameEntry {
  readonly seq: number;
  readonly time: number;
  readonly direction: FrameDirection;
  /** The frame kind: `hello`, `result`, an event name, an op, or a status word. */
  readonly kind: string;
  /** The frame text with secrets redacted (the clear text is never kept). */
  readonly text: string;
  /** The parsed (redacted) frame, when it is JSON. */
  readonly value?: unknown;
  /** The instance the frame is about, when it names one. */
  readonly instanceId?: string;
  /** A request's id (`out`) or the id a result answers (`in`). */
  readonly requestId?: number;
  /** For a result: the op and `seq` of the request it answers, and how long it took. */
  readonly answers?: { readonly op: string; readonly requestSeq: number; readonly ms: number };
  /** For a request: its result, once it arrived. */
  readonly answer?: FrameAnswer;
}

interface Parsed {
  readonly value?: unknown;
  readonly kind: string;
  readonly instanceId?: string;
  readonly requestId?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function instanceOf(v: Record<string, unknown>): string | undefined {
  if (typeof v.instance_id === 'string') return v.instance_id;
  const payload = isRecord(v.event) && isRecord(v.event.payload) ? v.event.payload : undefined;
  if (typeof payload?.instance_id === 'string') return payload.instance_id;
  if (isRecord(v.value) && typeof v.value.instance_id === 'string') return v.value.instance_id;
  return undefined;
}

function parse(direction: FrameDirection, text: string): Parsed {
  if (direction === 'status') return { kind: kindOf(direction, text) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid' };
  }
  const kind = kindOfValue(value);
  if (!isRecord(value)) return { value, kind };
  const instanceId = instanceOf(value);
  const requestId = typeof value.id === 'number' ? value.id : undefined;
  return {
    value,
    kind,
    ...(instanceId === undefined ? {} : { instanceId }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/**
 * A capped, observable log of every bridge frame in and out. Secrets (settings declared secret
 * by a plugin, and values under secret-looking names) are redacted before a frame is kept.
 * Requests are paired with their results (by id) and timed. Old entries fall off the front once
 * `capacity` is reached; `entries()` returns the same array until something changes, so React
 * can subscribe with `useSyncExternalStore`. Listeners are called at most every `notifyMs`.
 */
export class FrameLog {
  private readonly list: FrameEntry[] = [];
  private view: readonly FrameEntry[] = [];
  private dirty = false;
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private readonly open = new Map<number, { seq: number; op: string; time: number }>();
  private readonly secrets = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly capacity: number = PAGE_LIMITS.inspectorFrames,
    private readonly notifyMs = 100,
  ) {}

  add(direction: FrameDirection, text: string, now = Date.now()): void {
    const parsed = parse(direction, text);
    let value = parsed.value;
    let shown = text;
    if (value !== undefined) {
      collectSecretKeys(value, this.secrets);
      value = redactValue(value, this.secrets);
      shown = JSON.stringify(value);
    }
    const seq = ++this.seq;
    let entry: FrameEntry = {
      seq,
      time: now,
      direction,
      kind: parsed.kind,
      text: shown,
      ...(value === undefined ? {} : { value }),
      ...(parsed.instanceId === undefined ? {} : { instanceId: parsed.instanceId }),
      ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
    };
    if (direction === 'out' && parsed.requestId !== undefined)
      this.open.set(parsed.requestId, { seq, op: parsed.kind, time: now });
    if (direction === 'in' && parsed.kind === 'result' && parsed.requestId !== undefined) {
      const request = this.open.get(parsed.requestId);
      if (request !== undefined) {
        this.open.delete(parsed.requestId);
        const ms = now - request.time;
        const ok = isRecord(value) && value.ok === true;
        entry = { ...entry, answers: { op: request.op, requestSeq: request.seq, ms } };
        this.annotate(request.seq, { seq, ok, ms });
      }
    }
    if (direction === 'status' && text.startsWith('closed')) this.open.clear();
    this.list.push(entry);
    if (this.list.length > this.capacity) this.list.splice(0, this.list.length - this.capacity);
    this.changed();
  }

  clear(): void {
    this.list.length = 0;
    this.changed();
  }

  entries = (): readonly FrameEntry[] => {
    if (this.dirty) {
      this.view = this.list.slice();
      this.dirty = false;
    }
    return this.view;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private annotate(requestSeq: number, answer: FrameAnswer): void {
    const first = this.list[0]?.seq;
    if (first === undefined) return;
    const index = requestSeq - first;
    const request = this.list[index];
    if (request?.seq === requestSeq) this.list[index] = { ...request, answer };
  }

  private changed(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of [...this.listeners]) l();
    }, this.notifyMs);
  }
}

function kindOfValue(value: unknown): string {
  if (!isRecord(value)) return 'unknown';
  if (typeof value.op === 'string') return value.op;
  if (value.type === 'event' && isRecord(value.event) && typeof value.event.event === 'string')
    return value.event.event;
  if (typeof value.type === 'string') return value.type;
  return 'unknown';
}

/** A short label for a frame: the op of a request, the type (or event name) of a server frame. */
export function kindOf(direction: FrameDirection, text: string): string {
  if (direction === 'status') return text.split(' ')[0] ?? 'status';
  try {
    return kindOfValue(JSON.parse(text));
  } catch {
    return 'invalid';
  }
}

/** Entries whose kind or text contains the filter (case-insensitive), and about `instanceId` when given. */
export function filterEntries(
  entries: readonly FrameEntry[],
  filter: string,
  instanceId: string | null = null,
): readonly FrameEntry[] {
  const f = filter.trim().toLowerCase();
  if (f === '' && instanceId === null) return entries;
  return entries.filter(
    (e) =>
      (instanceId === null || e.instanceId === instanceId) &&
      (f === '' || e.kind.toLowerCase().includes(f) || e.text.toLowerCase().includes(f)),
  );
}
