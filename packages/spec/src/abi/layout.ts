import type { AbiSpec, StructDef, TypeRef } from './model.js';

/** The data model a layout is computed for. ABI v1 is defined for 64-bit targets (LP64 and LLP64). */
export interface TargetModel {
  readonly pointerSize: 8 | 4;
}
export const target64: TargetModel = { pointerSize: 8 };

export interface FieldLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly offset: number;
}
export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldLayout[];
}

const scalarSize = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, i64: 8, f64: 8 } as const;

/** Size and alignment of one type under the C rules every supported compiler follows. */
export function typeSizeAlign(
  type: TypeRef,
  model: TargetModel,
  structLayout: (name: string) => StructLayout,
): { size: number; align: number } {
  switch (type.kind) {
    case 'scalar': {
      const size = type.name === 'usize' ? model.pointerSize : scalarSize[type.name];
      return { size, align: size };
    }
    case 'bool':
      return { size: 1, align: 1 };
    case 'enum':
      return { size: 4, align: 4 };
    case 'chars':
      return { size: type.length, align: 1 };
    case 'struct': {
      const s = structLayout(type.name);
      return { size: s.size, align: s.align };
    }
    default:
      return { size: model.pointerSize, align: model.pointerSize };
  }
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Compute every struct's layout (size, alignment, field offsets) for a target. */
export function computeLayouts(spec: AbiSpec, model: TargetModel = target64): Map<string, StructLayout> {
  const out = new Map<string, StructLayout>();
  const byName = new Map<string, StructDef>(spec.structs.map((s) => [s.name, s]));
  const get = (name: string): StructLayout => {
    const done = out.get(name);
    if (done) return done;
    const def = byName.get(name);
    if (!def) throw new Error(`unknown struct ${name}`);
    let offset = 0;
    let align = 1;
    const fields: FieldLayout[] = [];
    for (const f of def.fields) {
      const sa = typeSizeAlign(f.type, model, get);
      offset = alignUp(offset, sa.align);
      fields.push({ name: f.name, size: sa.size, align: sa.align, offset });
      offset += sa.size;
      align = Math.max(align, sa.align);
    }
    const layout = { name, size: alignUp(offset, align), align, fields };
    out.set(name, layout);
    return layout;
  };
  for (const s of spec.structs) get(s.name);
  return out;
}

/** The rows of the layout descriptor, in the order every SDK emits them. */
export interface LayoutRow {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly offset: number;
}
export function layoutRows(spec: AbiSpec, model: TargetModel = target64): LayoutRow[] {
  const layouts = computeLayouts(spec, model);
  const rows: LayoutRow[] = [];
  for (const s of spec.structs) {
    const l = layouts.get(s.name)!;
    rows.push({ name: s.name, size: l.size, align: l.align, offset: 0 });
    for (const f of l.fields)
      rows.push({ name: `${s.name}.${f.name}`, size: f.size, align: f.align, offset: f.offset });
  }
  return rows;
}

export interface LayoutDifference {
  readonly name: string;
  readonly expected: LayoutRow | null;
  readonly actual: LayoutRow | null;
}

/** Compare a plugin's descriptor to the expected one, field by field. Empty = identical. */
export function diffLayouts(
  expected: readonly LayoutRow[],
  actual: readonly LayoutRow[],
): LayoutDifference[] {
  const diffs: LayoutDifference[] = [];
  const act = new Map(actual.map((r) => [r.name, r]));
  for (const e of expected) {
    const a = act.get(e.name) ?? null;
    act.delete(e.name);
    if (!a || a.size !== e.size || a.align !== e.align || a.offset !== e.offset)
      diffs.push({ name: e.name, expected: e, actual: a });
  }
  for (const a of act.values()) diffs.push({ name: a.name, expected: null, actual: a });
  return diffs;
}
