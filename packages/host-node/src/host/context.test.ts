import type { FrontendEvent } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { HostContext } from './context.js';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, MemoryAppConfig } from './options.js';

function context() {
  const logs: string[] = [];
  const ctx = new HostContext(
    { log: (_level, message) => logs.push(message) },
    new MemoryAppConfig(),
    DEFAULT_TIMEOUTS,
    DEFAULT_LIMITS,
    'consumed',
  );
  return { ctx, logs };
}

// A plugin-log event whose level the schema refuses.
const invalid = {
  event: 'plugin-log',
  payload: { plugin_id: 'p', instance_id: 'i', timestamp: 1, level: 'loud', message: 'x' },
} as unknown as FrontendEvent;

describe('HostContext.emit', () => {
  it('an event no listener or iterator would receive is neither checked nor sent, and its release runs', () => {
    const { ctx, logs } = context();
    let released = 0;
    ctx.emit(invalid, () => released++);
    expect(logs).toEqual([]);
    expect(released).toBe(1);
  });

  it('once someone listens, an event failing the schema is logged and dropped, never delivered', () => {
    const { ctx, logs } = context();
    const seen: FrontendEvent[] = [];
    ctx.emitter.on('*', (e) => seen.push(e));
    let released = 0;
    ctx.emit(invalid, () => released++);
    expect(seen).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/^Dropped an invalid plugin-log event \(host bug\)/)]);
    expect(released).toBe(1);
  });
});
