import { LIMIT_DEFS, type LimitDef, UI_LIMITS } from '@plugin-interfaces/spec';

/** Markers around the generated table in the README. */
export const LIMITS_START = '<!-- limits:start (generated from LIMIT_DEFS and UI_LIMITS; do not edit) -->';
export const LIMITS_END = '<!-- limits:end -->';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A limit's value for people: `1 MiB`, `1008 KiB`, `10,000`, `5 s`. */
export function formatLimit(value: number, unit: LimitDef['unit']): string {
  switch (unit) {
    case 'bytes':
      if (value % MiB === 0) return `${value / MiB} MiB`;
      if (value % KiB === 0) return `${value / KiB} KiB`;
      return `${value.toLocaleString('en-US')} bytes`;
    case 'ms':
      return value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
    case 'per-second':
      return `${value.toLocaleString('en-US')}/s`;
    default:
      return value.toLocaleString('en-US');
  }
}

/** What each UI frame limit bounds (the values come from the spec's UI_LIMITS). */
const UI_DOCS: Readonly<Record<keyof typeof UI_LIMITS, string>> = {
  maxDepth: 'Deepest nesting of groups in one frame.',
  maxNodes:
    'Widgets in one frame; a larger frame is refused with UI_TREE_INVALID, reported like any plugin fault (instance.error, plugin-log, plugin-status) and the previous frame stays.',
  maxTextLength: 'Characters of one label, heading, button text or text-edit value.',
  maxOptions: 'Options of one combo box.',
  maxIdLength: 'Characters of one widget id.',
};

/**
 * The README's "every limit with its default" table, rendered from the spec: `LIMIT_DEFS` (one
 * row each) and the UI frame limits. Never edit the table by hand; the README test compares it.
 */
export function renderLimitsTable(): string {
  const rows = [
    '| Limit | Default | Enforced by | Change it with | What it bounds |',
    '|---|---|---|---|---|',
    ...LIMIT_DEFS.map(
      (l: LimitDef) =>
        `| \`${l.name}\` | ${formatLimit(l.value, l.unit)} | ${l.layer} | ${l.option === null ? 'fixed' : `\`${l.option}\``} | ${l.doc} |`,
    ),
    ...(Object.keys(UI_DOCS) as (keyof typeof UI_LIMITS)[]).map(
      (k) => `| \`ui.${k}\` | ${formatLimit(UI_LIMITS[k], 'count')} | runtime | fixed | ${UI_DOCS[k]} |`,
    ),
  ];
  return `${LIMITS_START}\n${rows.join('\n')}\n${LIMITS_END}`;
}
