import {
  type AbiSpec,
  abiFingerprint,
  computeLayouts,
  type EnumDef,
  type FnDef,
  type StructDef,
  type TargetModel,
  target64,
} from '@plugin-interfaces/spec';
import { banner, enumStem, wrap } from '../banner.js';
import { cAlignType, cDecl, cType } from './types.js';

const doc = (text: string, indent = '') => {
  const lines = wrap(text, 92);
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
};

function enumBlock(spec: AbiSpec, e: EnumDef): string[] {
  const base = e.flags ? 'uint32_t' : 'int32_t';
  const stem = `PI_${enumStem(e.name, spec.prefix)}`;
  const out = [...doc(e.doc), `typedef ${base} ${e.name};`];
  for (const m of e.members) {
    const value = e.flags ? `${m.value}u` : `${m.value}`;
    out.push(`#define ${stem}_${m.name} ((${e.name})${value}) /**< ${m.doc} */`);
  }
  if (!e.flags) out.push(...nameFunction(stem, e));
  return out;
}

/** `pi_status_name(PI_STATUS_NOT_FOUND)` → "NOT_FOUND": the member's spec name, for logs and replies. */
function nameFunction(stem: string, e: EnumDef): string[] {
  const fn = `${stem.toLowerCase()}_name`;
  return [
    ...doc(`The spec name of a ${e.name} value ("UNKNOWN" for any other value), for log lines and messages.`),
    `static inline const char* ${fn}(${e.name} value) {`,
    '  switch (value) {',
    ...e.members.map((m) => `    case ${stem}_${m.name}: return "${m.name}";`),
    '    default: return "UNKNOWN";',
    '  }',
    '}',
  ];
}

function fnTypedef(f: FnDef): string[] {
  const params = f.params.length ? f.params.map((p) => cDecl(p.type, p.name)).join(', ') : 'void';
  const ret = f.returns ? cType(f.returns) : 'void';
  const notes = f.params
    .filter((p) => p.ownership !== 'value')
    .map((p) => `${p.name}: ${p.ownership}${p.nullable ? ', may be NULL' : ''}.`);
  return [
    ...doc(`${f.doc} Threads: ${f.thread} ${notes.join(' ')}`),
    `typedef ${ret} (*${f.name})(${params});`,
  ];
}

function structBlock(s: StructDef): string[] {
  const out = [...doc(s.doc), `struct ${s.name} {`];
  for (const f of s.fields) {
    const own = f.ownership === 'value' ? '' : `[${f.ownership}${f.nullable ? ', nullable' : ''}] `;
    out.push(...doc(`${own}${f.doc}`, '  '), `  ${cDecl(f.type, f.name)};`);
  }
  out.push('};');
  return out;
}

function asserts(spec: AbiSpec, model: TargetModel): string[] {
  const layouts = computeLayouts(spec, model);
  const out: string[] = [];
  for (const s of spec.structs) {
    const l = layouts.get(s.name)!;
    out.push(`PI_STATIC_ASSERT(sizeof(${s.name}) == ${l.size}, "sizeof(${s.name}) differs from the spec");`);
    out.push(
      `PI_STATIC_ASSERT(PI_ALIGNOF(${s.name}) == ${l.align}, "alignof(${s.name}) differs from the spec");`,
    );
    for (const f of l.fields) {
      out.push(
        `PI_STATIC_ASSERT(offsetof(${s.name}, ${f.name}) == ${f.offset}, "offsetof(${s.name}, ${f.name}) differs from the spec");`,
      );
    }
  }
  return out;
}

function layoutRecords(spec: AbiSpec): string[] {
  const rows: string[] = [];
  for (const s of spec.structs) {
    rows.push(`    {"${s.name}", (uint32_t)sizeof(${s.name}), (uint32_t)PI_ALIGNOF(${s.name}), 0u}`);
    for (const f of s.fields) {
      rows.push(
        `    {"${s.name}.${f.name}", (uint32_t)sizeof(((${s.name}*)0)->${f.name}), (uint32_t)PI_ALIGNOF(${cAlignType(f.type)}), (uint32_t)offsetof(${s.name}, ${f.name})}`,
      );
    }
  }
  return [
    '#define PI_LAYOUT_RECORDS \\',
    '  { \\',
    ...rows.map((r, i) => `${r}${i < rows.length - 1 ? ',' : ''} \\`),
    '  }',
  ];
}

/** Render the ABI as one C11/C++ header: `plugin_interfaces.h`. */
export function renderCHeader(spec: AbiSpec): string {
  const guard = 'PLUGIN_INTERFACES_H';
  const lines: string[] = [
    banner('/*'),
    '/*',
    ' * The plugin-interfaces C ABI. Every layout here is checked by the compiler against the spec',
    ' * (_Static_assert below) and exported to the host as a layout descriptor by PI_DECLARE_PLUGIN,',
    ' * so a plugin built with a different packing or header version is refused, not run.',
    ' */',
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '',
    '#ifdef __cplusplus',
    '#define PI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)',
    '#define PI_ALIGNOF(type) alignof(type)',
    'extern "C" {',
    '#else',
    '#define PI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)',
    '#define PI_ALIGNOF(type) _Alignof(type)',
    '#endif',
    '',
    '#if defined(_WIN32)',
    '#define PI_EXPORT __declspec(dllexport)',
    '#else',
    '#define PI_EXPORT __attribute__((visibility("default")))',
    '#endif',
    '#ifdef __cplusplus',
    '#define PI_EXTERN_C extern "C"',
    '#else',
    '#define PI_EXTERN_C',
    '#endif',
    '',
  ];
  for (const c of spec.constants) {
    const value = typeof c.value === 'string' ? JSON.stringify(c.value) : String(c.value);
    lines.push(`#define ${c.name} ${value} /**< ${c.doc} */`);
  }
  lines.push(
    `#define PI_ABI_FINGERPRINT ${JSON.stringify(abiFingerprint(spec))} /**< Hash of every layout in this header. */`,
    '',
  );
  for (const e of spec.enums) lines.push(...enumBlock(spec, e), '');
  for (const s of spec.structs) lines.push(`typedef struct ${s.name} ${s.name};`);
  lines.push('');
  for (const f of spec.functions) lines.push(...fnTypedef(f), '');
  for (const s of spec.structs) lines.push(...structBlock(s), '');
  lines.push(
    '/* Layout checks: the compiler must agree with the spec. */',
    '#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu',
  );
  lines.push(...asserts(spec, target64));
  lines.push('#else', '#error "plugin-interfaces ABI v1 supports 64-bit targets only"', '#endif', '');
  lines.push(
    '/** The layout descriptor rows, as this compiler lays the structs out. */',
    ...layoutRecords(spec),
    '',
  );
  lines.push(
    '/** Head of a versioned table, for designated initializers: { PI_TABLE_HEAD(PiPluginVTable), .create = ... }. */',
    '#define PI_TABLE_HEAD(type) .struct_size = (uint32_t)sizeof(type), .abi_major = PI_ABI_MAJOR, .abi_minor = PI_ABI_MINOR',
    '',
    '/**',
    ' * Export a plugin: defines pi_plugin_entry() returning the entry table for VTABLE (a static',
    ' * PiPluginVTable), with the ABI version, fingerprint and layout descriptor of this header.',
    ' */',
    '#define PI_DECLARE_PLUGIN(VTABLE) PI_DECLARE_PLUGIN_SDK(VTABLE, "c")',
    '#define PI_DECLARE_PLUGIN_SDK(VTABLE, SDK) \\',
    '  PI_EXTERN_C PI_EXPORT const PiPluginEntry* pi_plugin_entry(void) { \\',
    '    static const PiLayoutRecord pi_layout_[] = PI_LAYOUT_RECORDS; \\',
    '    static const PiPluginEntry pi_entry_ = { \\',
    '        (uint32_t)sizeof(PiPluginEntry), PI_ABI_MAJOR, PI_ABI_MINOR, PI_ABI_FINGERPRINT, SDK, \\',
    '        pi_layout_, (uint32_t)(sizeof(pi_layout_) / sizeof(pi_layout_[0])), &(VTABLE)}; \\',
    '    return &pi_entry_; \\',
    '  }',
    '',
    '#ifdef __cplusplus',
    '} /* extern "C" */',
    '#endif',
    '',
    `#endif /* ${guard} */`,
    '',
  );
  return lines.join('\n');
}
