import type { FrontendEvent, Snapshot } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT } from './client.js';
import { applyFrontendEvent } from './state.js';
import { instance, message, snapshotWith, stream, uiUpdated, who } from './test-support/fixtures.js';

const fold = (start: Snapshot, events: FrontendEvent[]): Snapshot => events.reduce(applyFrontendEvent, start);

describe('applyFrontendEvent', () => {
  it('appends a plugin message to the instance history with its type', () => {
    const before = snapshotWith(instance());
    const after = applyFrontendEvent(before, message('m1', 'hello **world**'));
    expect(after.instances[0]?.history).toEqual([
      expect.objectContaining({
        id: 'm1',
        role: 'plugin',
        content: 'hello **world**',
        messageType: 'success',
      }),
    ]);
    expect(before.instances[0]?.history).toEqual([]);
  });

  it('does not append the same message id twice', () => {
    const after = fold(snapshotWith(instance()), [message('m1', 'a'), message('m1', 'a')]);
    expect(after.instances[0]?.history).toHaveLength(1);
  });

  it('creates an instance it did not know when an event for it arrives', () => {
    const after = applyFrontendEvent(EMPTY_SNAPSHOT, message('m1', 'hi'));
    expect(after.instances.map((i) => i.instance_id)).toEqual(['echo-1']);
    expect(EMPTY_SNAPSHOT.instances).toEqual([]);
  });

  it('runs a stream through start, data, pause, resume and a successful end', () => {
    const states: string[] = [];
    let s = snapshotWith(instance());
    const events = [
      stream('stream_start', { stream_id: 's1', title: 'Story' }),
      stream('stream_data', { stream_id: 's1', chunk: 'Once ', is_final: false, seq: 0 }),
      stream('stream_pause', { stream_id: 's1' }),
      stream('stream_resume', { stream_id: 's1' }),
      stream('stream_data', { stream_id: 's1', chunk: 'upon', is_final: false, seq: 1 }),
      stream('stream_end', { stream_id: 's1', success: true, error: null }),
    ];
    for (const e of events) {
      s = applyFrontendEvent(s, e);
      states.push(s.instances[0]?.streams[0]?.state ?? 'none');
    }
    expect(states).toEqual(['active', 'active', 'paused', 'active', 'active', 'completed']);
    expect(s.instances[0]?.streams[0]).toEqual({
      stream_id: 's1',
      state: 'completed',
      content: 'Once upon',
      title: 'Story',
      error: null,
    });
  });

  it('marks a failed stream as error with the error text', () => {
    const s = fold(snapshotWith(instance()), [
      stream('stream_start', { stream_id: 's1', title: null }),
      stream('stream_end', { stream_id: 's1', success: false, error: 'model overloaded' }),
    ]);
    expect(s.instances[0]?.streams[0]).toMatchObject({ state: 'error', error: 'model overloaded' });
  });

  it('cancels a stream and ignores data arriving after it finished', () => {
    const s = fold(snapshotWith(instance()), [
      stream('stream_start', { stream_id: 's1', title: null }),
      stream('stream_data', { stream_id: 's1', chunk: 'a', is_final: false, seq: 0 }),
      stream('stream_cancel', { stream_id: 's1', by: 'user' }),
      stream('stream_data', { stream_id: 's1', chunk: 'b', is_final: false, seq: 1 }),
    ]);
    expect(s.instances[0]?.streams[0]).toMatchObject({ state: 'cancelled', content: 'a' });
  });

  it('completes a stream on its final chunk', () => {
    const s = fold(snapshotWith(instance()), [
      stream('stream_start', { stream_id: 's1', title: null }),
      stream('stream_data', { stream_id: 's1', chunk: 'done', is_final: true, seq: 0 }),
    ]);
    expect(s.instances[0]?.streams[0]).toMatchObject({ state: 'completed', content: 'done' });
  });

  it('ignores transitions of a stream it never saw start', () => {
    const before = snapshotWith(instance());
    const after = applyFrontendEvent(before, stream('stream_pause', { stream_id: 'ghost' }));
    expect(after.instances[0]?.streams).toEqual([]);
  });

  it('replaces the UI tree and revision, but never with an older revision', () => {
    const tree1 = [{ id: 'a', type: 'label', text: 'one' }] as const;
    const tree2 = [{ id: 'a', type: 'label', text: 'two' }] as const;
    const s = fold(snapshotWith(instance()), [uiUpdated(2, [...tree2]), uiUpdated(1, [...tree1])]);
    expect(s.instances[0]?.revision).toBe(2);
    expect(s.instances[0]?.tree).toEqual(tree2);
  });

  it('updates the lifecycle state and error, and clears the error on recovery', () => {
    const crashed = applyFrontendEvent(snapshotWith(instance()), {
      event: 'plugin-status',
      payload: { ...who, state: 'crashed', error: { code: 'PLUGIN_CRASHED', message: 'segfault' } },
    });
    expect(crashed.instances[0]).toMatchObject({ state: 'crashed', error: { code: 'PLUGIN_CRASHED' } });
    const back = applyFrontendEvent(crashed, {
      event: 'plugin-status',
      payload: { ...who, state: 'connected' },
    });
    expect(back.instances[0]?.state).toBe('connected');
    expect(back.instances[0]?.error).toBeUndefined();
  });

  it('removes a destroyed instance', () => {
    const s = applyFrontendEvent(snapshotWith(instance()), {
      event: 'plugin-status',
      payload: { ...who, state: 'destroyed' },
    });
    expect(s.instances).toEqual([]);
  });

  it('records a successful reply as a plugin message and leaves failures to plugin-history', () => {
    const failure = {
      id: 'h2',
      type: 'normal',
      status: 'error',
      content: '',
      pluginId: 'p',
      role: 'system',
      createdAt: '2026-01-01T00:00:00.000Z',
      error: 'too slow',
    } as const;
    const s = fold(snapshotWith(instance()), [
      { event: 'plugin-reply', payload: { ...who, request_id: 'r1', ok: true, content: 'pong' } },
      {
        event: 'plugin-reply',
        payload: {
          ...who,
          request_id: 'r2',
          ok: false,
          content: null,
          error: { code: 'TIMEOUT', message: 'too slow' },
        },
      },
      { event: 'plugin-history', payload: { ...who, message: failure } },
      { event: 'plugin-history', payload: { ...who, message: failure } },
    ]);
    expect(s.instances[0]?.history).toEqual([
      expect.objectContaining({ id: 'r1', role: 'plugin', content: 'pong' }),
      expect.objectContaining({ id: 'h2', role: 'system', error: 'too slow' }),
    ]);
  });

  it('gives a stream its place in the history when it starts', () => {
    const s = fold(snapshotWith(instance()), [
      {
        event: 'plugin-stream',
        payload: { ...who, type: 'stream_start', data: { stream_id: 's1', title: null } },
      },
      {
        event: 'plugin-history',
        payload: {
          ...who,
          message: {
            id: 'u1',
            type: 'normal',
            status: 'completed',
            content: 'next',
            pluginId: 'p',
            role: 'user',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        },
      },
    ]);
    expect(s.instances[0]?.history.map((m) => [m.id, m.type])).toEqual([
      ['s1', 'streaming'],
      ['u1', 'normal'],
    ]);
    expect(s.instances[0]?.streams.map((x) => x.stream_id)).toEqual(['s1']);
  });

  it('returns the same snapshot object for log, custom and disconnect-request events', () => {
    const before = snapshotWith(instance());
    expect(
      applyFrontendEvent(before, { event: 'plugin-log', payload: { ...who, level: 'info', message: 'x' } }),
    ).toBe(before);
    expect(
      applyFrontendEvent(before, { event: 'plugin-custom', payload: { ...who, event: 'x', payload: 1 } }),
    ).toBe(before);
    expect(applyFrontendEvent(before, { event: 'plugin-disconnect-request', payload: who })).toBe(before);
  });

  it('plugin-history-cleared empties the chat of that instance only, keeping the streams still open', () => {
    const other = { ...instance(), instance_id: 'echo-2', history: [] };
    const start = fold(snapshotWith(instance(), other), [
      message('m1', 'old'),
      stream('stream_start', { stream_id: 'done', title: null }),
      stream('stream_end', { stream_id: 'done', success: true, error: null }),
      stream('stream_start', { stream_id: 'live', title: null }),
      stream('stream_data', { stream_id: 'live', chunk: 'a', is_final: false, seq: 0 }),
      {
        ...message('m2', 'kept'),
        payload: { ...message('m2', 'kept').payload, instance_id: 'echo-2' },
      } as FrontendEvent,
    ]);
    const s = fold(start, [
      { event: 'plugin-history-cleared', payload: who },
      stream('stream_data', { stream_id: 'live', chunk: 'b', is_final: false, seq: 1 }),
    ]);
    expect(s.instances[0]?.history.map((m) => m.id)).toEqual(['live']);
    expect(s.instances[0]?.streams).toMatchObject([{ stream_id: 'live', content: 'ab', state: 'active' }]);
    expect(s.instances[1]?.history.map((m) => m.id)).toEqual(['m2']);
  });
});
