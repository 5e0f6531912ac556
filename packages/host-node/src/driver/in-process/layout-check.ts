import type { LayoutDifference } from '@plugin-interfaces/spec';

function describe(d: LayoutDifference): string {
  if (!d.actual) return `${d.name}: missing in the plugin`;
  if (!d.expected) return `${d.name}: unknown to the host`;
  const parts: string[] = [];
  for (const k of ['offset', 'size', 'align'] as const) {
    if (d.actual[k] !== d.expected[k])
      parts.push(`${k} ${d.actual[k]} in the plugin, ${d.expected[k]} in the host`);
  }
  return `${d.name}: ${parts.join('; ')}`;
}

/** A readable summary of the first few layout differences ("PiHostApi.log: offset 112 in the plugin, 120 in the host"). */
export function describeLayoutDiff(diffs: readonly LayoutDifference[], max = 5): string {
  const shown = diffs.slice(0, max).map(describe);
  const more = diffs.length > max ? ` (and ${diffs.length - max} more)` : '';
  return shown.join('; ') + more;
}
