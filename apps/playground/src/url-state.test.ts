import { describe, expect, it } from 'vitest';
import { readSelection, selectionUrl } from './url-state.js';

describe('deep links', () => {
  it('round-trips the selected plugin, instance and tool, keeping the token', () => {
    const url = selectionUrl('http://127.0.0.1:5173/?token=t', {
      plugin: 'echo',
      instance: 'echo-1',
      tool: 'logs',
    });
    expect(new URL(url).searchParams.get('token')).toBe('t');
    expect(readSelection(url)).toEqual({ plugin: 'echo', instance: 'echo-1', tool: 'logs' });
  });

  it('falls back to no selection and the inspector', () => {
    expect(readSelection('http://x/?token=t&tool=bogus')).toEqual({
      plugin: null,
      instance: null,
      tool: 'inspector',
    });
  });
});
