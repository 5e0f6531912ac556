import type { FrontendEvent } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { HostEmitter } from './emitter.js';

const log = (message: string): FrontendEvent => ({
  event: 'plugin-log',
  payload: { plugin_id: 'p', instance_id: 'i', timestamp: 1, level: 'info', message },
});
const text = (e: FrontendEvent) => (e.event === 'plugin-log' ? e.payload.message : e.event);

describe('HostEmitter', () => {
  it('runs named listeners, then "*" listeners, in registration order; one listener added twice runs once', () => {
    const emitter = new HostEmitter(() => undefined);
    const order: string[] = [];
    const a = () => order.push('a');
    emitter.on('*', () => order.push('all'));
    emitter.on('plugin-log', a);
    emitter.on('plugin-log', a);
    emitter.on('plugin-log', () => order.push('b'));
    emitter.emit(log('x'));
    expect(order).toEqual(['a', 'b', 'all']);
    expect(emitter.has('plugin-log')).toBe(true);
    expect(emitter.has('plugin-reply')).toBe(true); // the "*" listener hears every name
  });

  it('a listener added or removed during an emit takes effect from the next emit', () => {
    const emitter = new HostEmitter(() => undefined);
    const seen: string[] = [];
    const late = (e: FrontendEvent) => seen.push(`late ${text(e)}`);
    const off = emitter.on('plugin-log', (e) => {
      seen.push(`first ${text(e)}`);
      emitter.on('plugin-log', late);
      off();
    });
    emitter.emit(log('1'));
    emitter.emit(log('2'));
    expect(seen).toEqual(['first 1', 'late 2']);
  });

  it('a throwing listener is reported and the others still run', () => {
    const errors: unknown[] = [];
    const emitter = new HostEmitter((e) => errors.push(e));
    const seen: string[] = [];
    emitter.on('plugin-log', () => {
      throw new Error('boom');
    });
    emitter.on('plugin-log', (e) => seen.push(text(e)));
    emitter.emit(log('x'));
    expect(seen).toEqual(['x']);
    expect(String(errors[0])).toMatch(/boom/);
  });

  it('off() and clear() stop delivery; has() is false once nobody listens', () => {
    const emitter = new HostEmitter(() => undefined);
    const seen: string[] = [];
    const listener = (e: FrontendEvent) => seen.push(text(e));
    emitter.on('plugin-log', listener);
    emitter.off('plugin-log', listener);
    emitter.emit(log('gone'));
    expect(emitter.has('plugin-log')).toBe(false);
    emitter.on('*', listener);
    emitter.clear();
    emitter.emit(log('gone too'));
    expect(seen).toEqual([]);
  });
});
