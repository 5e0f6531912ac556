import { LIMIT_DEFS, type RtFnDef, type RuntimeAbi, rtStructLayout } from '@plugin-interfaces/spec';
import { banner, wrap } from '../banner.js';
import { CodegenError } from '../errors.js';
import { snake, spell } from './names.js';

const C_SCALAR = { u32: 'uint32_t', i32: 'int32_t', u64: 'uint64_t' } as const;

function comment(text: string, indent = ''): string[] {
  const lines = wrap(text, 92);
  if (lines.length === 1) return [`${indent}/* ${lines[0]} */`];
  return [`${indent}/*`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function cValue(value: number): string {
  if (value > 0x7fffffff) return `${value}u`;
  return value < 0 ? `(${value})` : String(value);
}

function limitValue(name: string): number {
  const def = LIMIT_DEFS.find((l) => l.name === name);
  if (!def) throw new CodegenError('SPEC_INVALID', `runtime limit ${name} is not in LIMIT_DEFS`);
  return def.value;
}

function prototype(f: RtFnDef, exported: boolean): string {
  const params =
    f.params.length === 0 ? 'void' : f.params.map((p) => `${spell(p.type).c} ${p.name}`).join(', ');
  const ret = spell(f.returns).c;
  return exported ? `PI_RT_EXPORT ${ret} ${f.name}(${params});` : `typedef ${ret} (*${f.name})(${params});`;
}

/**
 * Render `packages/host-node/native/pi_host_rt_abi.h`: the runtime ABI for the C shim – version,
 * limits (from LIMIT_DEFS), constants, the shared structs with compile-time layout checks, the
 * UI callback order checked against PiUi, and the prototypes of every exported function.
 */
export function renderRuntimeHeader(rt: RuntimeAbi): string {
  const out: string[] = [banner('/*', '@plugin-interfaces/spec (runtime)')];
  out.push(
    ...comment(
      `host-node's runtime ABI, version ${rt.version}: what the native runtime shim (pi_host_rt.c) and the in-process driver exchange. Internal to host-node; plugins never include it.`,
    ),
    '#ifndef PI_HOST_RT_ABI_H',
    '#define PI_HOST_RT_ABI_H',
    '',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '',
    '#include "plugin_interfaces.h"',
    '',
    '#if defined(_WIN32)',
    '#define PI_RT_EXPORT __declspec(dllexport)',
    '#else',
    '#define PI_RT_EXPORT __attribute__((visibility("default")))',
    '#endif',
    '',
    `#define PI_RT_VERSION ${rt.version}`,
    '',
    '/* Limits (LIMIT_DEFS in packages/spec/src/limits.ts). */',
  );
  for (const l of rt.limits) out.push(`#define PI_RT_${l.cName} ${limitValue(l.limit)}u /* ${l.limit} */`);
  for (const g of rt.constants) {
    out.push('', ...comment(`${g.name}: ${g.doc}`));
    for (const m of g.members)
      out.push(`#define PI_RT_${snake(g.name)}_${m.name} ${cValue(m.value)} /* ${m.doc} */`);
  }
  out.push('', '/* The PiUi function slots pi_rt_ui_new fills, in this order. */');
  out.push(`#define PI_RT_UI_CALLBACKS ${rt.uiCallbackOrder.length}`);
  const [first] = rt.uiCallbackOrder;
  rt.uiCallbackOrder.forEach((name, i) => {
    out.push(
      `_Static_assert(offsetof(PiUi, ${name}) == offsetof(PiUi, ${first}) + ${i} * sizeof(void*), "PiUi.${name} is slot ${i}");`,
    );
  });
  for (const s of rt.structs) {
    const { offsets, size } = rtStructLayout(s);
    out.push('', ...comment(s.doc), `typedef struct ${s.name} {`);
    for (const f of s.fields) out.push(`  ${C_SCALAR[f.type]} ${f.name}; /* ${f.doc} */`);
    out.push(`} ${s.name};`);
    out.push(`_Static_assert(sizeof(${s.name}) == ${size}, "${s.name} size");`);
    for (const f of s.fields)
      out.push(
        `_Static_assert(offsetof(${s.name}, ${f.name}) == ${offsets[f.name]}, "${s.name}.${f.name} offset");`,
      );
  }
  out.push('', '/* One runtime instance; its PiHostApi is the host pointer a plugin holds. */');
  out.push('typedef struct PiRtInstance PiRtInstance;');
  for (const cb of rt.callbacks) out.push('', ...comment(cb.doc), prototype(cb, false));
  out.push('', '/* Exported functions. */');
  for (const f of rt.functions) out.push(...comment(f.doc), prototype(f, true));
  out.push('', '#endif', '');
  return out.join('\n');
}
