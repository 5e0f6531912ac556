import {
  type AbiSpec,
  abiFingerprint,
  computeLayouts,
  type ScalarName,
  type StructDef,
  type TypeRef,
  target64,
} from '@plugin-interfaces/spec';
import { banner, enumStem, wrap } from '../banner.js';

const scalars: Record<ScalarName, string> = {
  u8: 'u8',
  u16: 'u16',
  u32: 'u32',
  u64: 'u64',
  i32: 'i32',
  i64: 'i64',
  f64: 'f64',
  usize: 'usize',
};

/** Rust spelling of a spec type. Function pointers are `Option<...>` so NULL is representable. */
export function rustType(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return scalars[type.name];
    case 'bool':
      return 'u8';
    case 'enum':
    case 'struct':
    case 'fn':
      return type.name;
    case 'string':
      return type.mutable ? '*mut c_char' : '*const c_char';
    case 'handle':
      return '*mut c_void';
    case 'chars':
      return `[c_char; ${type.length}]`;
    case 'pointer':
      return `${type.const ? '*const' : '*mut'} ${rustType(type.to)}`;
  }
}

const RESERVED = new Set([
  'type',
  'self',
  'fn',
  'struct',
  'match',
  'ref',
  'move',
  'loop',
  'impl',
  'mod',
  'use',
]);
const ident = (name: string) => (RESERVED.has(name) ? `${name}_` : name);
const docs = (text: string, indent = '') =>
  wrap(text, 92).map((l) => (l ? `${indent}/// ${l}` : `${indent}///`));

function structBlock(s: StructDef): string[] {
  const out = [...docs(s.doc), '#[repr(C)]', '#[derive(Clone, Copy)]', `pub struct ${s.name} {`];
  for (const f of s.fields) {
    const own = f.ownership === 'value' ? '' : `[${f.ownership}${f.nullable ? ', nullable' : ''}] `;
    out.push(...docs(`${own}${f.doc}`, '    '), `    pub ${ident(f.name)}: ${rustType(f.type)},`);
  }
  out.push('}');
  return out;
}

function layoutTests(spec: AbiSpec): string[] {
  const layouts = computeLayouts(spec, target64);
  const out = [
    '#[cfg(all(test, target_pointer_width = "64"))]',
    'mod layout_tests {',
    '    use super::*;',
    '    use core::mem::{align_of, offset_of, size_of};',
  ];
  for (const s of spec.structs) {
    const l = layouts.get(s.name)!;
    out.push(
      '',
      '    #[test]',
      `    fn layout_of_${s.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}() {`,
    );
    out.push(`        assert_eq!(size_of::<${s.name}>(), ${l.size}, "sizeof(${s.name})");`);
    out.push(`        assert_eq!(align_of::<${s.name}>(), ${l.align}, "alignof(${s.name})");`);
    for (const f of l.fields) {
      out.push(
        `        assert_eq!(offset_of!(${s.name}, ${ident(f.name)}), ${f.offset}, "offsetof(${s.name}, ${f.name})");`,
      );
    }
    out.push('    }');
  }
  out.push('}');
  return out;
}

function layoutRecords(spec: AbiSpec): string[] {
  const rows: string[] = [];
  for (const s of spec.structs) {
    rows.push(
      `    PiLayoutRecord { name: c"${s.name}".as_ptr(), size: size_of::<${s.name}>() as u32, align: align_of::<${s.name}>() as u32, offset: 0 },`,
    );
    for (const f of s.fields) {
      const ty = rustType(f.type);
      const alignTy = f.type.kind === 'chars' ? 'c_char' : ty;
      rows.push(
        `    PiLayoutRecord { name: c"${s.name}.${f.name}".as_ptr(), size: size_of::<${ty}>() as u32, align: align_of::<${alignTy}>() as u32, offset: offset_of!(${s.name}, ${ident(f.name)}) as u32 },`,
      );
    }
  }
  return [
    `/// Number of rows in the layout descriptor.`,
    `pub const PI_LAYOUT_RECORD_COUNT: usize = ${rows.length};`,
    '',
    '/// The layout descriptor as rustc lays the structs out; exported by `pi_export_plugin!`.',
    `pub static PI_LAYOUT_RECORDS: PiSync<[PiLayoutRecord; PI_LAYOUT_RECORD_COUNT]> = PiSync([`,
    ...rows,
    ']);',
  ];
}

/** Render the raw `#[repr(C)]` bindings module `ffi.rs` (std only). */
export function renderRustBindings(spec: AbiSpec): string {
  const lines: string[] = [
    banner('//'),
    '//! Raw C ABI bindings: `#[repr(C)]` structs, function-pointer types, enums and constants.',
    '//! Prefer the safe API of this crate; use these when you need the wire types themselves.',
    '#![allow(non_camel_case_types, non_snake_case, dead_code, clippy::all)]',
    '',
    'use core::ffi::{c_char, c_void, CStr};',
    'use core::mem::{align_of, offset_of, size_of};',
    '',
    '/// Makes a static holding raw pointers shareable; the pointed-to data is immutable and `static`.',
    '#[repr(transparent)]',
    'pub struct PiSync<T>(pub T);',
    '// SAFETY: only used for immutable statics whose pointers refer to other immutable statics.',
    'unsafe impl<T> Sync for PiSync<T> {}',
    '',
  ];
  for (const c of spec.constants) {
    if (typeof c.value === 'string')
      lines.push(...docs(c.doc), `pub const ${c.name}: &CStr = c${JSON.stringify(c.value)};`);
    else
      lines.push(
        ...docs(c.doc),
        `pub const ${c.name}: ${c.name.startsWith('PI_ABI_') ? 'u16' : 'usize'} = ${c.value};`,
      );
  }
  lines.push(
    '/// Hash of every layout in the spec.',
    `pub const PI_ABI_FINGERPRINT: &CStr = c"${abiFingerprint(spec)}";`,
    '',
  );
  for (const e of spec.enums) {
    lines.push(...docs(e.doc), `pub type ${e.name} = ${e.flags ? 'u32' : 'i32'};`);
    const stem = `PI_${enumStem(e.name, spec.prefix)}`;
    for (const m of e.members)
      lines.push(...docs(m.doc), `pub const ${stem}_${m.name}: ${e.name} = ${m.value};`);
    lines.push('');
  }
  for (const f of spec.functions) {
    const params = f.params.map((p) => `${ident(p.name)}: ${rustType(p.type)}`).join(', ');
    const ret = f.returns ? ` -> ${rustType(f.returns)}` : '';
    lines.push(
      ...docs(`${f.doc} Threads: ${f.thread}`),
      `pub type ${f.name} = Option<unsafe extern "C" fn(${params})${ret}>;`,
      '',
    );
  }
  for (const s of spec.structs) lines.push(...structBlock(s), '');
  lines.push(...layoutRecords(spec), '');
  lines.push(
    "/// Export `pi_plugin_entry` for a `static` `PiPluginVTable`, with this crate's ABI version,",
    '/// fingerprint and layout descriptor. Use once per library.',
    '#[macro_export]',
    'macro_rules! pi_export_plugin_vtable {',
    '    ($vtable:expr) => {',
    '        #[unsafe(no_mangle)]',
    '        pub extern "C" fn pi_plugin_entry() -> *const $crate::ffi::PiPluginEntry {',
    '            static ENTRY: $crate::ffi::PiSync<$crate::ffi::PiPluginEntry> = $crate::ffi::PiSync($crate::ffi::PiPluginEntry {',
    '                struct_size: ::core::mem::size_of::<$crate::ffi::PiPluginEntry>() as u32,',
    '                abi_major: $crate::ffi::PI_ABI_MAJOR,',
    '                abi_minor: $crate::ffi::PI_ABI_MINOR,',
    '                abi_fingerprint: $crate::ffi::PI_ABI_FINGERPRINT.as_ptr(),',
    '                sdk: c"rust".as_ptr(),',
    '                layout: $crate::ffi::PI_LAYOUT_RECORDS.0.as_ptr(),',
    '                layout_count: $crate::ffi::PI_LAYOUT_RECORD_COUNT as u32,',
    '                vtable: &$vtable,',
    '            });',
    '            &ENTRY.0',
    '        }',
    '    };',
    '}',
    '',
    ...layoutTests(spec),
    '',
  );
  return lines.join('\n');
}
