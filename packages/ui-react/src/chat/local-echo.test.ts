import type { HistoryMessage } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { type LocalEcho, pendingEchoes } from './local-echo.js';

const user = (content: string): HistoryMessage => ({
  id: content + Math.random(),
  type: 'normal',
  status: 'completed',
  content,
  pluginId: 'echo',
  role: 'user',
  createdAt: '2026-01-01T00:00:00Z',
});
const echo = (key: string, content: string, seenBefore = 0, error: string | null = null): LocalEcho => ({
  key,
  content,
  createdAt: '2026-01-01T00:00:00Z',
  seenBefore,
  error,
});

describe('pendingEchoes', () => {
  it('drops an echo once the host recorded the message', () => {
    expect(pendingEchoes([echo('a', 'hi')], [])).toHaveLength(1);
    expect(pendingEchoes([echo('a', 'hi')], [user('hi')])).toEqual([]);
  });

  it('matches repeated identical messages one by one', () => {
    const echoes = [echo('a', 'ok', 1), echo('b', 'ok', 1)];
    expect(pendingEchoes(echoes, [user('ok')]).map((e) => e.key)).toEqual(['a', 'b']);
    expect(pendingEchoes(echoes, [user('ok'), user('ok')]).map((e) => e.key)).toEqual(['b']);
  });

  it('keeps failed sends visible', () => {
    expect(pendingEchoes([echo('a', 'hi', 0, 'offline')], [user('hi')])).toHaveLength(1);
  });
});
