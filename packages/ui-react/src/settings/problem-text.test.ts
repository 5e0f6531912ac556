import { describe, expect, it } from 'vitest';
import { problemText } from './problem-text.js';

describe('problemText', () => {
  it('names the setting by its label', () => {
    expect(problemText('endpoint', { type: 'string', label: 'Endpoint URL' }, 'endpoint is required')).toBe(
      'Endpoint URL is required',
    );
  });

  it('shows the expected format of a pattern and that it covers the whole value', () => {
    const spec = { type: 'string', label: 'Endpoint', pattern: 'https://.*' } as const;
    expect(problemText('url', spec, 'url does not match the required format')).toBe(
      'Endpoint does not match the required format: the whole value must match https://.*',
    );
  });

  it('falls back to the key when there is no label', () => {
    expect(problemText('n', { type: 'integer' }, 'n must be a number')).toBe('n must be a number');
  });
});
