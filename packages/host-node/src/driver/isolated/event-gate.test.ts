import { describe, expect, it } from 'vitest';
import { PiStatus } from '../../pi-status.js';
import type { PluginEvent } from '../types.js';
import { EventGate } from './event-gate.js';
import { ISOLATION_LIMITS } from './limits.js';

const gate = (maxEventsPerSecond: number) =>
  new EventGate({ ...ISOLATION_LIMITS, maxEventsPerSecond }, () => 'p');
const log = (i: number): PluginEvent => ({ kind: 'log', level: 'info', text: `line ${i}` });

describe('EventGate flood control', () => {
  it('drops events past the rate with one violation', () => {
    const out = gate(3).admit(Array.from({ length: 10 }, (_, i) => log(i)));
    expect(out.filter((e) => e.kind === 'log')).toHaveLength(3);
    expect(out.filter((e) => e.kind === 'violation')).toEqual([
      expect.objectContaining({ code: 'EVENT_RATE_EXCEEDED' }),
    ]);
  });

  it('never counts stream chunks (the credit window bounds them) and never drops a stream end or a reply', () => {
    const g = gate(3);
    const chunks: PluginEvent[] = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'stream_data',
      streamId: 's',
      chunk: 'x',
      seq: i,
    }));
    const out = g.admit([
      { kind: 'stream_start', streamId: 's', title: null },
      ...chunks,
      log(1),
      log(2),
      log(3),
      { kind: 'stream_end', streamId: 's', success: true, error: null },
      { kind: 'reply', requestId: 7, status: PiStatus.OK, content: 'answer' },
    ]);
    expect(out.filter((e) => e.kind === 'stream_data')).toHaveLength(1000);
    expect(out.filter((e) => e.kind === 'log')).toHaveLength(2);
    expect(out.map((e) => e.kind)).toContain('stream_end');
    expect(out.map((e) => e.kind)).toContain('reply');
    expect(out.filter((e) => e.kind === 'violation')).toHaveLength(1);
  });
});
