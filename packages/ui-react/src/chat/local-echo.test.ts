import type { HistoryMessage } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { chatRows, type LocalEcho, pendingEchoes } from './local-echo.js';

const entry = (content: string, role: HistoryMessage['role'] = 'user'): HistoryMessage => ({
  id: content + Math.random(),
  type: 'normal',
  status: 'completed',
  content,
  pluginId: 'echo',
  role,
  createdAt: '2026-01-01T00:00:00Z',
});
const echo = (
  key: string,
  content: string,
  seenBefore = 0,
  error: string | null = null,
  historyLength = 0,
): LocalEcho => ({
  key,
  content,
  createdAt: '2026-01-01T00:00:00Z',
  seenBefore,
  historyLength,
  error,
});

describe('pendingEchoes', () => {
  it('drops an echo once the host recorded the message', () => {
    expect(pendingEchoes([echo('a', 'hi')], [])).toHaveLength(1);
    expect(pendingEchoes([echo('a', 'hi')], [entry('hi')])).toEqual([]);
  });

  it('matches repeated identical messages one by one', () => {
    const echoes = [echo('a', 'ok', 1), echo('b', 'ok', 1)];
    expect(pendingEchoes(echoes, [entry('ok')]).map((e) => e.key)).toEqual(['a', 'b']);
    expect(pendingEchoes(echoes, [entry('ok'), entry('ok')]).map((e) => e.key)).toEqual(['b']);
  });

  it('drops a failed send the host recorded (the plugin got it; the host shows the error)', () => {
    expect(pendingEchoes([echo('a', 'hi', 0, 'plugin failed')], [entry('hi')])).toEqual([]);
  });

  it('keeps a failed send the host never recorded', () => {
    expect(pendingEchoes([echo('a', 'hi', 0, 'offline')], [])).toHaveLength(1);
  });
});

describe('chatRows', () => {
  it('draws a failed echo before the error the host recorded after it was sent', () => {
    const history = [entry('earlier'), entry('not connected', 'system')];
    const rows = chatRows(history, [echo('a', 'hi', 0, 'not connected', 1)]);
    expect(rows.map((r) => (r.kind === 'echo' ? `echo:${r.echo.content}` : r.message.content))).toEqual([
      'earlier',
      'echo:hi',
      'not connected',
    ]);
  });

  it('puts echoes still on their way last', () => {
    const rows = chatRows([entry('earlier')], [echo('a', 'next', 0, null, 0)]);
    expect(rows.map((r) => r.kind)).toEqual(['history', 'echo']);
  });
});
