import { randomUUID } from 'node:crypto';
import type { HistoryMessage, MessageType, StreamInfo } from '@plugin-interfaces/spec';
import { utf8Bytes } from '../../text-size.js';
import type { Evictable, PluginBudget } from '../plugins/budget.js';
import { type InstanceStreams, isOpen, type StreamRecord } from './streams.js';

type Role = HistoryMessage['role'];
const ROLES: readonly Role[] = ['user', 'plugin', 'system'];
const ROLE_MASK = 3;
/** Flag: the entry is a failed message (status `error`). */
const FAILED = 4;

/** What few entries carry beyond role, text, time and size (kept apart, so most entries need no object). */
interface Extra {
  /** The id when it is not this history's own `<prefix><pos>`: a stream id, a restored entry's. */
  id?: string | undefined;
  messageType?: MessageType;
  error?: string;
  /** A stream's entry: content, status and error are read from its record (its text is kept once, there). */
  stream?: StreamRecord;
  /** A restored entry: the message as it was given back (content excepted for a stream). */
  restored?: HistoryMessage;
}

/** Bounds of one instance's history. */
export interface HistoryBounds {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** One page of history, oldest first (see `host.history`). */
export interface HistoryPage {
  readonly messages: HistoryMessage[];
  /** Older entries the host still keeps (ask again with `before` = the first message's id). */
  readonly more: number;
  /** Entries the host dropped because of its bounds (gone for good). */
  readonly dropped: number;
}

/** What to page: entries older than `before` (an entry id), at most `limit` and `maxBytes` of JSON. */
export interface PageQuery {
  readonly before?: string | undefined;
  readonly limit?: number | undefined;
  readonly maxBytes?: number | undefined;
}

let isoMs = -1;
let iso = '';
/** `ms` as an ISO 8601 string (the last one formatted is reused: entries come in bursts). */
function isoAt(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

/**
 * The chat history of one instance: user messages, plugin messages, replies and streams, in
 * order, as the spec's `HistoryMessage`. Bounded: at most `maxEntries` entries and `maxBytes` of
 * text, and the plugin's budget; past a bound the oldest entries are dropped (counted in
 * `dropped`). A stream is one entry whose text and status live in its stream record, so stream
 * text is kept once and a chunk costs the same whatever the history length (entries are indexed by
 * id; `visited` counts entries walked, for tests).
 *
 * Entries live in a ring of parallel arrays (text, time, size, role): adding a message allocates
 * no object, and a `HistoryMessage` is built only when one is read.
 */
export class InstanceHistory implements Evictable {
  readonly #pluginId: string;
  readonly #bounds: HistoryBounds;
  readonly #budget: PluginBudget;
  readonly #streams: InstanceStreams;
  /** Slots of the ring (a power of two); position `p` lives in slot `p & (#cap - 1)`. */
  #cap = 16;
  #content: (string | undefined)[] = new Array(16).fill(undefined);
  #time = new Float64Array(16);
  #size = new Float64Array(16);
  #flags = new Uint8Array(16);
  #extra: (Extra | undefined)[] = new Array(16).fill(undefined);
  /** Positions since the history began (never reused): the oldest kept entry, and the next one. */
  #start = 0;
  #next = 0;
  /** Own entries are named `<prefix><pos>`; other ids (streams, restored entries) are indexed here. */
  readonly #prefix = `${randomUUID().slice(0, 13)}-`;
  readonly #byId = new Map<string, number>();
  #bytes = 0;
  dropped = 0;
  visited = 0;

  constructor(pluginId: string, bounds: HistoryBounds, budget: PluginBudget, streams: InstanceStreams) {
    this.#pluginId = pluginId;
    this.#bounds = bounds;
    this.#budget = budget;
    this.#streams = streams;
    budget.join(this);
  }

  get bytes(): number {
    return this.#bytes;
  }

  get length(): number {
    return this.#next - this.#start;
  }

  /** Append a finished text message (`newestId()` and `newest()` give it). */
  add(role: Role, content: string, messageType?: MessageType, error?: string): void {
    let bytes = utf8Bytes(content);
    let flags = role === 'user' ? 0 : role === 'plugin' ? 1 : 2;
    let extra: Extra | undefined;
    if (messageType !== undefined || error !== undefined) {
      extra = {};
      if (messageType !== undefined) extra.messageType = messageType;
      if (error !== undefined) {
        extra.error = error;
        flags |= FAILED;
        bytes += utf8Bytes(error);
      }
    }
    this.#push(content, Date.now(), bytes, flags, extra);
  }

  /** The id of the newest entry ('' when the history is empty). */
  newestId(): string {
    if (this.#next === this.#start) return '';
    const pos = this.#next - 1;
    return this.#extra[pos & (this.#cap - 1)]?.id ?? this.#prefix + pos;
  }

  /** True when a kept entry has this id. */
  hasId(id: string): boolean {
    return this.#find(id) !== undefined;
  }

  /** A copy of the newest entry, or undefined when the history is empty. */
  newest(): HistoryMessage | undefined {
    return this.#next > this.#start ? this.#view(this.#next - 1) : undefined;
  }

  /** Append the entry of a stream that just started; its id is the stream id. */
  addStream(record: StreamRecord): void {
    this.#push('', Date.now(), record.text.bytes, 1, { id: record.streamId, stream: record });
  }

  /** A stream's kept text changed by `delta` bytes (a chunk, or its error): O(1), no scan. */
  streamGrew(record: StreamRecord, delta: number): void {
    if (!record.inHistory || delta === 0) return;
    const pos = this.#byId.get(record.streamId);
    if (pos === undefined) return;
    const slot = pos & (this.#cap - 1);
    this.#size[slot] = (this.#size[slot] ?? 0) + delta;
    this.#grew(delta);
  }

  /** Restore entries (after a reload): streams come back ended, with the text that was kept. */
  restore(messages: readonly HistoryMessage[], streams: readonly StreamInfo[]): void {
    const titles = new Map(streams.map((s) => [s.stream_id, s]));
    for (const m of messages) {
      const time = Date.parse(m.createdAt);
      const flags = ROLES.indexOf(m.role) | (m.status === 'error' ? FAILED : 0);
      if (m.type !== 'streaming') {
        const bytes = utf8Bytes(m.content) + utf8Bytes(m.error ?? '');
        this.#push(m.content, time, bytes, flags, { id: m.id, restored: { ...m } });
        continue;
      }
      const known = titles.get(m.id);
      const record = this.#streams.restore(
        {
          stream_id: m.id,
          state: m.status,
          content: m.content,
          title: known?.title ?? null,
          error: m.error ?? known?.error ?? null,
        },
        m.droppedBytes ?? 0,
      );
      this.#push('', time, record.text.bytes, flags, {
        id: m.id,
        stream: record,
        restored: { ...m, content: '' },
      });
    }
  }

  /** Every kept entry, oldest first (copies). */
  list(): HistoryMessage[] {
    const out: HistoryMessage[] = [];
    for (let p = this.#start; p < this.#next; p++) out.push(this.#view(p));
    this.visited += out.length;
    return out;
  }

  /**
   * The newest entries older than `before` (all kept entries when absent) that fit in `limit`
   * entries and `maxBytes` of JSON, oldest first. An unknown `before` gives an empty page.
   */
  page(query: PageQuery = {}): HistoryPage {
    let end = this.#next;
    if (query.before !== undefined) end = this.#find(query.before) ?? this.#start;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const maxBytes = query.maxBytes ?? Number.POSITIVE_INFINITY;
    const messages: HistoryMessage[] = [];
    let used = 0;
    let p = end - 1;
    for (; p >= this.#start && messages.length < limit; p--) {
      this.visited++;
      const message = this.#view(p);
      const size = utf8Bytes(JSON.stringify(message)) + 1;
      if (used + size > maxBytes) break;
      used += size;
      messages.push(message);
    }
    messages.reverse();
    return { messages, more: p - this.#start + 1, dropped: this.dropped };
  }

  /** Drop the oldest entry (for the bounds and the plugin budget); false when empty. */
  evictOldest(): boolean {
    if (this.#next === this.#start) return false;
    this.visited++;
    const bytes = this.#take(this.#start++);
    this.#bytes -= bytes;
    this.#budget.release(bytes);
    this.dropped++;
    return true;
  }

  /**
   * Empty the history on request (`host.clearHistory`): every entry goes except those of streams
   * still open, which stay so their next chunks land in place. `dropped` starts again from 0 (the
   * user chose to forget; nothing was lost to the bounds). Returns how many entries were removed.
   */
  clear(): number {
    const kept: { time: number; size: number; flags: number; extra: Extra }[] = [];
    let removed = 0;
    for (let p = this.#start; p < this.#next; p++) {
      const slot = p & (this.#cap - 1);
      const extra = this.#extra[slot];
      if (extra?.stream !== undefined && isOpen(extra.stream.state)) {
        // An open stream keeps its id wherever it moves: an own id becomes a foreign one.
        extra.id ??= this.#prefix + p;
        kept.push({
          time: this.#time[slot] ?? 0,
          size: this.#size[slot] ?? 0,
          flags: this.#flags[slot] ?? 0,
          extra,
        });
        this.#byId.delete(extra.id);
        this.#clearSlot(slot);
        continue;
      }
      removed++;
      const bytes = this.#take(p);
      this.#bytes -= bytes;
      this.#budget.release(bytes);
    }
    this.#start = this.#next;
    for (const k of kept) {
      const pos = this.#next++;
      this.#store(pos, '', k.time, k.size, k.flags, k.extra);
      if (k.extra.id !== undefined) this.#byId.set(k.extra.id, pos);
    }
    this.dropped = 0;
    return removed;
  }

  /** Give the bytes back to the plugin budget (the instance is gone). */
  release(): void {
    this.#budget.leave(this);
  }

  /** The position of the kept entry with this id, or undefined. */
  #find(id: string): number | undefined {
    if (id.startsWith(this.#prefix)) {
      const digits = id.slice(this.#prefix.length);
      const pos = Number(digits);
      if (
        Number.isSafeInteger(pos) &&
        String(pos) === digits &&
        pos >= this.#start &&
        pos < this.#next &&
        this.#extra[pos & (this.#cap - 1)]?.id === undefined
      )
        return pos;
    }
    return this.#byId.get(id);
  }

  #push(content: string, time: number, bytes: number, flags: number, extra: Extra | undefined): void {
    const pos = this.#next++;
    if (extra?.id !== undefined) {
      // A foreign id seen before (or shaped like an own one) gets an own id instead.
      if (this.#byId.has(extra.id) || extra.id.startsWith(this.#prefix)) {
        extra.id = undefined;
        if (extra.restored !== undefined) extra.restored.id = this.#prefix + pos;
      } else this.#byId.set(extra.id, pos);
    }
    this.#store(pos, content, time, bytes, flags, extra);
    while (this.#next - this.#start > this.#bounds.maxEntries) this.evictOldest();
    this.#grew(bytes);
  }

  #store(
    pos: number,
    content: string,
    time: number,
    bytes: number,
    flags: number,
    extra: Extra | undefined,
  ): void {
    if (pos - this.#start >= this.#cap) this.#grow();
    const slot = pos & (this.#cap - 1);
    this.#content[slot] = content;
    this.#time[slot] = time;
    this.#size[slot] = bytes;
    this.#flags[slot] = flags;
    this.#extra[slot] = extra;
  }

  /** Empty the slot of a position leaving the history; returns the bytes it held. */
  #take(pos: number): number {
    const slot = pos & (this.#cap - 1);
    const extra = this.#extra[slot];
    if (extra !== undefined) {
      if (extra.id !== undefined) this.#byId.delete(extra.id);
      if (extra.stream !== undefined) this.#streams.detach(extra.stream);
    }
    const bytes = this.#size[slot] ?? 0;
    this.#clearSlot(slot);
    return bytes;
  }

  #clearSlot(slot: number): void {
    this.#content[slot] = undefined;
    this.#extra[slot] = undefined;
  }

  /** Double the ring (every kept position moves to its slot in the larger ring). */
  #grow(): void {
    const cap = this.#cap * 2;
    const content: (string | undefined)[] = new Array(cap).fill(undefined);
    const time = new Float64Array(cap);
    const size = new Float64Array(cap);
    const flags = new Uint8Array(cap);
    const extra: (Extra | undefined)[] = new Array(cap).fill(undefined);
    for (let p = this.#start; p < this.#next - 1; p++) {
      const from = p & (this.#cap - 1);
      const to = p & (cap - 1);
      content[to] = this.#content[from];
      time[to] = this.#time[from] ?? 0;
      size[to] = this.#size[from] ?? 0;
      flags[to] = this.#flags[from] ?? 0;
      extra[to] = this.#extra[from];
    }
    this.#cap = cap;
    this.#content = content;
    this.#time = time;
    this.#size = size;
    this.#flags = flags;
    this.#extra = extra;
  }

  #grew(delta: number): void {
    this.#bytes += delta;
    while (this.#bytes > this.#bounds.maxBytes && this.length > 1) this.evictOldest();
    this.#budget.grow(delta);
  }

  /** The HistoryMessage at a kept position; a stream's content and status come from its record. */
  #view(pos: number): HistoryMessage {
    const slot = pos & (this.#cap - 1);
    const extra = this.#extra[slot];
    const flags = this.#flags[slot] ?? 0;
    const message: HistoryMessage =
      extra?.restored !== undefined
        ? { ...extra.restored }
        : {
            id: extra?.id ?? this.#prefix + pos,
            type: extra?.stream === undefined ? 'normal' : 'streaming',
            status: (flags & FAILED) !== 0 ? 'error' : 'completed',
            content: this.#content[slot] ?? '',
            pluginId: this.#pluginId,
            role: ROLES[flags & ROLE_MASK] ?? 'system',
            createdAt: isoAt(this.#time[slot] ?? 0),
          };
    if (extra === undefined) return message;
    if (extra.id === undefined) message.id = this.#prefix + pos;
    if (extra.messageType !== undefined) message.messageType = extra.messageType;
    if (extra.error !== undefined) message.error = extra.error;
    const s = extra.stream;
    if (s !== undefined) {
      message.status = s.state;
      message.content = s.text.text;
      if (s.error !== null) message.error = s.error;
      if (s.text.droppedBytes > 0) message.droppedBytes = s.text.droppedBytes;
    }
    return message;
  }
}
