import { describe, expect, it } from 'vitest';
import { filterLines, LogStore, redactLogText } from './plugin-logs.js';

const line = (level: 'error' | 'info' | 'debug', instanceId: string) => ({
  time: 0,
  level,
  pluginId: 'p',
  instanceId,
  message: `${level} from ${instanceId}`,
});

describe('plugin log store', () => {
  it('filters by level (that level and more severe) and by instance', () => {
    const store = new LogStore(10);
    store.add(line('error', 'a'));
    store.add(line('info', 'a'));
    store.add(line('debug', 'b'));
    expect(filterLines(store.lines(), 'info', null).map((l) => l.message)).toEqual([
      'error from a',
      'info from a',
    ]);
    expect(filterLines(store.lines(), 'trace', 'b').map((l) => l.message)).toEqual(['debug from b']);
  });

  it('keeps only the newest lines up to its capacity', () => {
    const store = new LogStore(2);
    for (const id of ['a', 'b', 'c']) store.add(line('info', id));
    expect(store.lines().map((l) => l.instanceId)).toEqual(['b', 'c']);
  });

  it('redacts secret-looking pairs in log text', () => {
    expect(redactLogText('using api_key=sk-123 and token: abc')).not.toMatch(/sk-123|abc/);
  });
});
