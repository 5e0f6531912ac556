import { readFileSync } from 'node:fs';
import { errorCodes } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('lists every spec error code with its meaning', () => {
    const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = text.slice(
      text.indexOf('<!-- error-codes:start -->'),
      text.indexOf('<!-- error-codes:end -->'),
    );
    for (const [code, meaning] of Object.entries(errorCodes))
      expect(table).toContain(`| \`${code}\` | ${meaning} |`);
  });
});
