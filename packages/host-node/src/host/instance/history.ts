import { randomUUID } from 'node:crypto';
import type { HistoryMessage, MessageType, StreamInfo } from '@plugin-interfaces/spec';
import { utf8Bytes } from '../../text-size.js';
import type { Evictable, PluginBudget } from '../plugins/budget.js';
import { type InstanceStreams, isOpen, type StreamRecord } from './streams.js';

type Role = HistoryMessage['role'];

let isoMs = -1;
let iso = '';
/** The current time as an ISO 8601 string, formatted once per millisecond (messages come in bursts). */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

interface Entry {
  /** For a stream, content and status are read from `stream` (its text is kept once, there). */
  readonly message: HistoryMessage;
  readonly stream: StreamRecord | null;
  bytes: number;
  /** Position since the history began (never reused), so an entry finds its index in O(1). */
  pos: number;
  /** True when the id is not this history's own `<prefix><pos>` (a stream id, a restored entry's). */
  foreign: boolean;
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

/**
 * The chat history of one instance: user messages, plugin messages, replies and streams, in
 * order, as the spec's `HistoryMessage`. Bounded: at most `maxEntries` entries and `maxBytes` of
 * text, and the plugin's budget; past a bound the oldest entries are dropped (counted in
 * `dropped`). A stream is one entry whose text and status live in its stream record, so stream
 * text is kept once and a chunk costs the same whatever the history length (entries are indexed by
 * id; `visited` counts entries walked, for tests).
 */
export class InstanceHistory implements Evictable {
  readonly #pluginId: string;
  readonly #bounds: HistoryBounds;
  readonly #budget: PluginBudget;
  readonly #streams: InstanceStreams;
  /** Entries in order; slots before `#head` were dropped (undefined) until the next compaction. */
  #items: (Entry | undefined)[] = [];
  #head = 0;
  /** Position of `#items[0]`. */
  #offset = 0;
  #next = 0;
  /**
   * Own entries are named `<prefix><pos>` (found by position, no index to keep); streams and
   * restored entries keep their ids, indexed here.
   */
  readonly #prefix = `${randomUUID().slice(0, 13)}-`;
  readonly #byId = new Map<string, Entry>();
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
    return this.#items.length - this.#head;
  }

  /** Append a finished text message; returns its id (`newest()` gives the message). */
  add(role: Role, content: string, messageType?: MessageType, error?: string): string {
    const pos = this.#next;
    const message: HistoryMessage = {
      id: this.#prefix + pos,
      type: 'normal',
      status: error === undefined ? 'completed' : 'error',
      content,
      pluginId: this.#pluginId,
      role,
      createdAt: isoNow(),
    };
    if (messageType !== undefined) message.messageType = messageType;
    if (error !== undefined) message.error = error;
    const bytes = utf8Bytes(content) + (error === undefined ? 0 : utf8Bytes(error));
    this.#push({ message, stream: null, bytes, pos, foreign: false });
    return message.id;
  }

  /** A copy of the newest entry, or undefined when the history is empty. */
  newest(): HistoryMessage | undefined {
    const entry = this.#items[this.#items.length - 1];
    return entry === undefined ? undefined : view(entry);
  }

  /** Append the entry of a stream that just started; its id is the stream id. */
  addStream(record: StreamRecord): void {
    const message: HistoryMessage = {
      id: record.streamId,
      type: 'streaming',
      status: 'active',
      content: '',
      pluginId: this.#pluginId,
      role: 'plugin',
      createdAt: isoNow(),
    };
    this.#push({ message, stream: record, bytes: record.text.bytes, pos: 0, foreign: true });
  }

  /** A stream's kept text changed by `delta` bytes (a chunk, or its error): O(1), no scan. */
  streamGrew(record: StreamRecord, delta: number): void {
    if (!record.inHistory || delta === 0) return;
    const entry = this.#byId.get(record.streamId);
    if (entry === undefined) return;
    entry.bytes += delta;
    this.#grew(delta);
  }

  /** Restore entries (after a reload): streams come back ended, with the text that was kept. */
  restore(messages: readonly HistoryMessage[], streams: readonly StreamInfo[]): void {
    const titles = new Map(streams.map((s) => [s.stream_id, s]));
    for (const m of messages) {
      if (m.type !== 'streaming') {
        const bytes = utf8Bytes(m.content) + utf8Bytes(m.error ?? '');
        this.#push({ message: { ...m }, stream: null, bytes, pos: 0, foreign: true });
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
      this.#push({
        message: { ...m, content: '' },
        stream: record,
        bytes: record.text.bytes,
        pos: 0,
        foreign: true,
      });
    }
  }

  /** Every kept entry, oldest first (copies). */
  list(): HistoryMessage[] {
    const out: HistoryMessage[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const entry = this.#items[i];
      if (entry !== undefined) out.push(view(entry));
    }
    this.visited += out.length;
    return out;
  }

  /**
   * The newest entries older than `before` (all kept entries when absent) that fit in `limit`
   * entries and `maxBytes` of JSON, oldest first. An unknown `before` gives an empty page.
   */
  page(query: PageQuery = {}): HistoryPage {
    let end = this.#items.length;
    if (query.before !== undefined) {
      const entry = this.#find(query.before);
      end = entry === undefined ? this.#head : entry.pos - this.#offset;
    }
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const maxBytes = query.maxBytes ?? Number.POSITIVE_INFINITY;
    const messages: HistoryMessage[] = [];
    let used = 0;
    let i = end - 1;
    for (; i >= this.#head && messages.length < limit; i--) {
      this.visited++;
      const entry = this.#items[i];
      if (entry === undefined) continue;
      const message = view(entry);
      const size = utf8Bytes(JSON.stringify(message)) + 1;
      if (used + size > maxBytes) break;
      used += size;
      messages.push(message);
    }
    messages.reverse();
    return { messages, more: i - this.#head + 1, dropped: this.dropped };
  }

  /** Drop the oldest entry (for the bounds and the plugin budget); false when empty. */
  evictOldest(): boolean {
    const entry = this.#items[this.#head];
    if (entry === undefined) return false;
    this.visited++;
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#offset += this.#head;
      this.#head = 0;
    }
    if (entry.foreign) this.#byId.delete(entry.message.id);
    this.#bytes -= entry.bytes;
    this.#budget.release(entry.bytes);
    this.dropped++;
    if (entry.stream !== null) this.#streams.detach(entry.stream);
    return true;
  }

  /**
   * Empty the history on request (`host.clearHistory`): every entry goes except those of streams
   * still open, which stay so their next chunks land in place. `dropped` starts again from 0 (the
   * user chose to forget; nothing was lost to the bounds). Returns how many entries were removed.
   */
  clear(): number {
    const kept: Entry[] = [];
    let removed = 0;
    for (let i = this.#head; i < this.#items.length; i++) {
      const entry = this.#items[i];
      if (entry === undefined) continue;
      if (entry.stream !== null && isOpen(entry.stream.state)) {
        kept.push(entry);
        continue;
      }
      removed++;
      this.#byId.delete(entry.message.id);
      this.#bytes -= entry.bytes;
      this.#budget.release(entry.bytes);
      if (entry.stream !== null) this.#streams.detach(entry.stream);
    }
    this.#items = kept;
    this.#head = 0;
    this.#offset = this.#next;
    for (const entry of kept) entry.pos = this.#next++;
    this.dropped = 0;
    return removed;
  }

  /** Give the bytes back to the plugin budget (the instance is gone). */
  release(): void {
    this.#budget.leave(this);
  }

  /** The kept entry with this id, or undefined. */
  #find(id: string): Entry | undefined {
    if (!id.startsWith(this.#prefix)) return this.#byId.get(id);
    const entry = this.#items[Number(id.slice(this.#prefix.length)) - this.#offset];
    return entry !== undefined && entry.message.id === id ? entry : undefined;
  }

  #push(entry: Entry): void {
    entry.pos = this.#next++;
    if (entry.foreign) {
      // A foreign id seen before (or shaped like an own one) gets an own id instead.
      const id = entry.message.id;
      if (this.#byId.has(id) || id.startsWith(this.#prefix)) {
        entry.message.id = this.#prefix + entry.pos;
        entry.foreign = false;
      } else this.#byId.set(id, entry);
    }
    this.#items.push(entry);
    while (this.length > this.#bounds.maxEntries) this.evictOldest();
    this.#grew(entry.bytes);
  }

  #grew(delta: number): void {
    this.#bytes += delta;
    while (this.#bytes > this.#bounds.maxBytes && this.length > 1) this.evictOldest();
    this.#budget.grow(delta);
  }
}

/** The HistoryMessage of an entry; a stream's content and status come from its record. */
function view(entry: Entry): HistoryMessage {
  const s = entry.stream;
  if (s === null) return { ...entry.message };
  const message: HistoryMessage = {
    ...entry.message,
    status: s.state,
    content: s.text.text,
  };
  if (s.error !== null) message.error = s.error;
  if (s.text.droppedBytes > 0) message.droppedBytes = s.text.droppedBytes;
  return message;
}
