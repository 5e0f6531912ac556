import type { LayoutDifference, LayoutRow } from '@plugin-interfaces/spec';
import koffi from 'koffi';

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

/** Byte offsets of a struct's fields when every field is packed (alignment 1), and its packed size. */
function packedOffsets(
  rows: readonly LayoutRow[],
  struct: string,
): { offsets: Map<string, number>; size: number } {
  const offsets = new Map<string, number>();
  let size = 0;
  for (const r of rows) {
    if (!r.name.startsWith(`${struct}.`)) continue;
    offsets.set(r.name.slice(struct.length + 1), size);
    size += r.size;
  }
  return { offsets, size };
}

/**
 * Read the layout descriptor of a plugin whose PiPluginEntry is smaller than the host's because
 * its compiler packed the structs (`-fpack-struct=1`, `#pragma pack(1)`): when `structSize` is the
 * packed size of PiPluginEntry, the `layout` pointer and count are read at their packed offsets
 * and the rows with the packed PiLayoutRecord stride, so the refusal can list every field that
 * differs. Returns null when the entry is not a packed one (nothing is read then), or when the
 * descriptor is absent or implausible.
 */
export function readPackedDescriptor(
  entry: unknown,
  structSize: number,
  expected: readonly LayoutRow[],
  maxRows: number,
): LayoutRow[] | null {
  const e = packedOffsets(expected, 'PiPluginEntry');
  const rec = packedOffsets(expected, 'PiLayoutRecord');
  const layoutAt = e.offsets.get('layout');
  const countAt = e.offsets.get('layout_count');
  const [nameAt, sizeAt, alignAt, offsetAt] = ['name', 'size', 'align', 'offset'].map((f) =>
    rec.offsets.get(f),
  );
  if (structSize !== e.size || layoutAt === undefined || countAt === undefined) return null;
  if (nameAt === undefined || sizeAt === undefined || alignAt === undefined || offsetAt === undefined)
    return null;
  const table = koffi.decode(entry, layoutAt, 'void *') as unknown;
  const count = koffi.decode(entry, countAt, 'uint32_t') as number;
  if (!table || count === 0 || count > maxRows) return null;
  const rows: LayoutRow[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * rec.size;
    const name = koffi.decode(table, base + nameAt, 'const char *') as string | null;
    if (name === null) return null;
    rows.push({
      name,
      size: koffi.decode(table, base + sizeAt, 'uint32_t') as number,
      align: koffi.decode(table, base + alignAt, 'uint32_t') as number,
      offset: koffi.decode(table, base + offsetAt, 'uint32_t') as number,
    });
  }
  return rows;
}
