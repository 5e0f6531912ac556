import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodes } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { LIMITS_END, LIMITS_START, renderLimitsTable } from './limits-table.js';

const README = new URL('../../README.md', import.meta.url);

describe('README', () => {
  it('lists every spec error code with its meaning', () => {
    const text = readFileSync(README, 'utf8');
    const table = text.slice(
      text.indexOf('<!-- error-codes:start -->'),
      text.indexOf('<!-- error-codes:end -->'),
    );
    for (const [code, meaning] of Object.entries(errorCodes))
      expect(table).toContain(`| \`${code}\` | ${meaning} |`);
  });

  it('shows every limit with its default exactly as rendered from LIMIT_DEFS and UI_LIMITS', () => {
    // After adding or changing a limit: UPDATE_README=1 pnpm exec vitest run src/host/readme.test.ts
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf(LIMITS_START);
    const end = text.indexOf(LIMITS_END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const current = text.slice(start, end + LIMITS_END.length);
    const rendered = renderLimitsTable();
    if (process.env.UPDATE_README === '1' && current !== rendered)
      writeFileSync(README, text.replace(current, rendered));
    else expect(current).toBe(rendered);
  });
});
