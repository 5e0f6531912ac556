import type { DoctorReport } from './types.js';

const MARK = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' } as const;

/** The report as text for a terminal: one line per check (details indented), then a verdict. */
export function formatReport(r: DoctorReport): string {
  const lines = [`pi-doctor: ${r.pluginId ?? '(unknown plugin)'} in ${r.folder}`];
  for (const c of r.checks) {
    const [first = '', ...rest] = c.detail.split('\n');
    lines.push(`  ${MARK[c.status]}  ${c.check.padEnd(12)} ${first}${c.code ? ` [${c.code}]` : ''}`);
    for (const more of rest) lines.push(`  ${' '.repeat(18)} ${more}`);
  }
  const failed = r.checks.filter((c) => c.status === 'fail').map((c) => c.check);
  const warned = r.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    failed.length === 0
      ? `healthy${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}`
      : `FAILED: ${failed.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
