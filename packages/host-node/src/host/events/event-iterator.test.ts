import type { FrontendEvent } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { EventBuffer } from './event-iterator.js';

const ev = (n: number): FrontendEvent => ({
  event: 'plugin-log',
  payload: { plugin_id: 'p', instance_id: 'i', timestamp: n, level: 'info', message: String(n) },
});
const stamp = (r: IteratorResult<FrontendEvent>) => (r.done ? null : r.value.payload.timestamp);

describe('events() buffer', () => {
  it('hands out events in push order across ring growth and wrap-around', async () => {
    const buf = new EventBuffer(1000, () => undefined);
    const got: (number | null)[] = [];
    let n = 0;
    // Interleave pushes and takes so the ring wraps several times while it grows.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1 + (round % 7) * 5; i++) buf.push(ev(n++));
      for (let i = 0; i < 1 + (round % 5) * 4; i++) {
        if (got.length >= n) break;
        got.push(stamp(await buf.next()));
      }
    }
    while (got.length < n) got.push(stamp(await buf.next()));
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(buf.dropped).toBe(0);
  });

  it('past its size it drops the oldest event, counts it and runs its release', async () => {
    const buf = new EventBuffer(3, () => undefined);
    const released: number[] = [];
    for (let i = 0; i < 5; i++) buf.push(ev(i), () => released.push(i));
    expect(buf.dropped).toBe(2);
    expect(released).toEqual([0, 1]);
    expect([stamp(await buf.next()), stamp(await buf.next()), stamp(await buf.next())]).toEqual([2, 3, 4]);
    expect(released).toEqual([0, 1, 2, 3, 4]);
  });

  it('a waiting next() gets the next push at once and its release runs', async () => {
    const buf = new EventBuffer(2, () => undefined);
    const waiting = buf.next();
    let released = false;
    buf.push(ev(7), () => {
      released = true;
    });
    expect(stamp(await waiting)).toBe(7);
    expect(released).toBe(true);
  });

  it('end() releases what is buffered, finishes a waiting next() and tells its owner once', async () => {
    let ends = 0;
    const buf = new EventBuffer(4, () => ends++);
    const released: number[] = [];
    buf.push(ev(1), () => released.push(1));
    buf.push(ev(2), () => released.push(2));
    buf.end();
    buf.end();
    expect(released).toEqual([1, 2]);
    expect(ends).toBe(1);
    expect((await buf.next()).done).toBe(true);
    const late: number[] = [];
    buf.push(ev(3), () => late.push(3));
    expect(late).toEqual([3]);
  });
});
