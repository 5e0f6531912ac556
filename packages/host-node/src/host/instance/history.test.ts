import { describe, expect, it } from 'vitest';
import { PluginBudget } from '../plugins/budget.js';
import { InstanceHistory } from './history.js';
import { InstanceStreams } from './streams.js';

const BIG = Number.MAX_SAFE_INTEGER;

function history(
  bounds: { maxEntries?: number; maxBytes?: number; maxStreamBytes?: number } = {},
  budget = new PluginBudget(BIG),
) {
  const streams = new InstanceStreams(bounds.maxStreamBytes ?? BIG);
  const h = new InstanceHistory(
    'p',
    { maxEntries: bounds.maxEntries ?? BIG, maxBytes: bounds.maxBytes ?? BIG },
    budget,
    streams,
  );
  const chunk = (id: string, text: string) => {
    const r = streams.data(id, text);
    if (r.ok) h.streamGrew(r.record, r.grew);
    return r;
  };
  const start = (id: string) => h.addStream(streams.start(id, null));
  return { h, streams, chunk, start, budget };
}

/** Add a user message and return its id. */
function added(h: InstanceHistory, text: string): string {
  h.add('user', text);
  return h.newestId();
}

describe('instance history bounds', () => {
  it('keeps at most maxEntries entries, dropping the oldest and counting them', () => {
    const { h } = history({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) h.add('user', `m${i}`);
    expect(h.list().map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
    expect(h.dropped).toBe(2);
  });

  it('keeps at most maxHistoryBytes of text, dropping the oldest entries', () => {
    const { h } = history({ maxBytes: 10 });
    h.add('user', 'aaaa');
    h.add('user', 'bbbb');
    h.add('user', 'cccc');
    expect(h.list().map((m) => m.content)).toEqual(['bbbb', 'cccc']);
    expect(h.bytes).toBe(8);
  });

  it('keeps the tail of a stream past maxStreamBytes and says how many bytes it dropped', () => {
    const { h, start, chunk } = history({ maxStreamBytes: 6 });
    start('s');
    for (const c of ['abc', 'def', 'ghi', 'jkl']) chunk('s', c);
    const [entry] = h.list();
    expect(entry).toMatchObject({ type: 'streaming', content: 'ghijkl', droppedBytes: 6 });
    expect(h.bytes).toBe(6);
  });

  it('keeps stream text once: the history entry reads the stream record, its bytes count once', () => {
    const { h, streams, start, chunk } = history();
    start('s');
    chunk('s', 'hello ');
    chunk('s', 'world');
    expect(streams.get('s')?.text.text).toBe('hello world');
    expect(h.list()[0]?.content).toBe('hello world');
    expect(h.bytes).toBe(11);
  });

  it('applies a chunk without walking the history, however long it is (open streams are indexed by id)', () => {
    const { h, start, chunk } = history();
    for (let i = 0; i < 100_000; i++) h.add('user', 'x');
    start('s');
    const before = h.visited;
    for (let i = 0; i < 10_000; i++) chunk('s', 'y');
    expect(h.visited - before).toBe(0);
    expect(h.length).toBe(100_001);
  });

  it('drops the oldest entries of the largest history when the plugin budget is exceeded', () => {
    const budget = new PluginBudget(12);
    const a = history({}, budget);
    const b = history({}, budget);
    a.h.add('user', 'aaaa');
    a.h.add('user', 'aaaa');
    b.h.add('user', 'bb');
    a.h.add('user', 'aaaa'); // 14 bytes: a is the largest, its oldest goes
    expect(a.h.list().map((m) => m.content)).toEqual(['aaaa', 'aaaa']);
    expect(b.h.list().map((m) => m.content)).toEqual(['bb']);
    expect(budget.bytes).toBe(10);
    b.h.release();
    expect(budget.bytes).toBe(8);
  });

  it('forgets an ended stream whose entry was dropped, but keeps an open one until it ends', () => {
    const { h, streams, start, chunk } = history({ maxEntries: 1 });
    start('open');
    chunk('open', 'a');
    h.add('user', 'pushes the stream entry out');
    expect(streams.has('open')).toBe(true);
    expect(streams.end('open', true, null)?.state).toBe('completed');
    expect(streams.has('open')).toBe(false);
  });

  it('finds entries by id after evictions and a clear, and never reuses an id', () => {
    const { h } = history();
    const ids = Array.from({ length: 30 }, (_, i) => added(h, `m${i}`));
    expect(new Set(ids).size).toBe(30);
    for (let i = 0; i < 25; i++) h.evictOldest();
    expect(h.page({ before: ids[28], limit: 10 }).messages.map((m) => m.content)).toEqual([
      'm25',
      'm26',
      'm27',
    ]);
    // An evicted id, a malformed one and one of another history give an empty page.
    expect(h.page({ before: ids[3] }).messages).toEqual([]);
    expect(h.page({ before: `${ids[3]}x` }).messages).toEqual([]);
    expect(h.page({ before: added(history().h, 'other') }).messages).toEqual([]);
    h.clear();
    const after = added(h, 'new');
    expect(ids).not.toContain(after);
    expect(h.newest()).toMatchObject({ id: after, content: 'new', role: 'user' });
  });

  it('keeps order, ids and sizes through ring growth and wrap-around', () => {
    const { h } = history({ maxEntries: 5 });
    const ids = Array.from({ length: 37 }, (_, i) => added(h, `m${i}`));
    expect(h.list().map((m) => m.content)).toEqual(['m32', 'm33', 'm34', 'm35', 'm36']);
    expect(h.list().map((m) => m.id)).toEqual(ids.slice(32));
    expect(h.page({ before: ids[35], limit: 2 }).messages.map((m) => m.content)).toEqual(['m33', 'm34']);
    expect(h.bytes).toBe(15);
    expect(h.dropped).toBe(32);
    const big = history().h;
    const many = Array.from({ length: 1000 }, (_, i) => added(big, `n${i}`));
    expect(big.page({ before: many[500], limit: 1 }).messages[0]).toMatchObject({
      id: many[499],
      content: 'n499',
    });
  });

  it('an open stream kept by clear keeps its id, and its later chunks count', () => {
    const { h, start, chunk } = history();
    for (let i = 0; i < 20; i++) h.add('user', `m${i}`);
    start('s');
    chunk('s', 'ab');
    h.add('user', 'after');
    expect(h.clear()).toBe(21);
    chunk('s', 'cd');
    expect(h.list()).toEqual([expect.objectContaining({ id: 's', content: 'abcd', status: 'active' })]);
    expect(h.bytes).toBe(4);
    const next = added(h, 'x');
    expect(h.page({ before: next }).messages.map((m) => m.id)).toEqual(['s']);
  });

  it('restores entries with their ids and times; a repeated id gets an own one', () => {
    const { h, streams } = history();
    const at = '2026-01-02T03:04:05.678Z';
    const base = { pluginId: 'p', role: 'user', createdAt: at, type: 'normal', status: 'completed' } as const;
    h.restore(
      [
        { ...base, id: 'old-1', content: 'hello' },
        {
          ...base,
          id: 'st',
          type: 'streaming',
          status: 'cancelled',
          role: 'plugin',
          content: 'tail',
          droppedBytes: 3,
        },
        { ...base, id: 'old-1', content: 'again' },
      ],
      [{ stream_id: 'st', state: 'cancelled', content: 'tail', title: 'T', error: null }],
    );
    const [first, stream, again] = h.list();
    expect(first).toEqual({ ...base, id: 'old-1', content: 'hello' });
    expect(stream).toMatchObject({
      id: 'st',
      type: 'streaming',
      status: 'cancelled',
      content: 'tail',
      droppedBytes: 3,
    });
    expect(streams.get('st')?.title).toBe('T');
    expect(again?.id).not.toBe('old-1');
    expect(again).toMatchObject({ content: 'again', createdAt: at });
    expect(h.page({ before: again?.id }).messages.map((m) => m.content)).toEqual(['hello', 'tail']);
    expect(h.page({ before: 'st' }).messages.map((m) => m.content)).toEqual(['hello']);
    expect(h.bytes).toBe(5 + 4 + 5);
  });

  it('pages older entries with before and limit, oldest first', () => {
    const { h } = history();
    const ids = Array.from({ length: 10 }, (_, i) => added(h, `m${i}`));
    const last = h.page({ limit: 3 });
    expect(last.messages.map((m) => m.content)).toEqual(['m7', 'm8', 'm9']);
    expect(last.more).toBe(7);
    const older = h.page({ before: ids[7], limit: 3 });
    expect(older.messages.map((m) => m.content)).toEqual(['m4', 'm5', 'm6']);
    expect(older.more).toBe(4);
    expect(h.page({ before: 'no-such-id' }).messages).toEqual([]);
  });
});
