import { type RtFnDef, type RuntimeAbi, rtStructLayout } from '@plugin-interfaces/spec';
import { banner } from '../banner.js';
import { camel, snake, spell } from './names.js';

function doc(text: string, indent = ''): string {
  return `${indent}/** ${text.replace(/\*\//g, '* /')} */`;
}

function tsSignature(f: RtFnDef): string {
  const params = f.params.map((p) => `${camel(p.name)}: ${spell(p.type).tsParam}`).join(', ');
  return `RtFn<[${params}], ${spell(f.returns).tsResult}>`;
}

/** The member name of an exported function: pi_rt_next_record_bytes → nextRecordBytes. */
export function memberName(f: RtFnDef): string {
  return camel(f.name.replace(/^pi_rt_/, ''));
}

function koffiArgs(f: RtFnDef): string {
  return `'${spell(f.returns).koffi}', [${f.params.map((p) => `'${spell(p.type).koffi}'`).join(', ')}]`;
}

/**
 * Render `packages/host-node/src/generated/runtime.ts`: the runtime ABI version, constants, struct
 * offsets, UI callback order, the typed interface of every exported function and `bindRuntime`,
 * which declares them with koffi (no hand-written koffi declaration remains in host-node).
 */
export function renderRuntimeTs(rt: RuntimeAbi): string {
  const out: string[] = [
    banner('//', '@plugin-interfaces/spec (runtime)'),
    "import koffi, { type LibraryHandle, type TypeObject } from 'koffi';",
    '',
  ];
  out.push(doc('Runtime ABI version; `pi_rt_version()` of a loadable runtime returns exactly this.'));
  out.push(`export const RT_VERSION = ${rt.version};`, '');
  for (const g of rt.constants) {
    out.push(doc(`${g.doc} (\`PI_RT_${snake(g.name)}_*\`)`));
    out.push(`export const ${g.name} = {`);
    for (const m of g.members) out.push(doc(m.doc, '  '), `  ${m.name}: ${m.value},`);
    out.push('} as const;', '');
  }
  for (const s of rt.structs) {
    const { offsets, size } = rtStructLayout(s);
    out.push(doc(`${s.doc} Byte offsets and size.`));
    out.push(`export const ${s.name} = {`, `  size: ${size},`, '  offsets: {');
    for (const f of s.fields)
      out.push(doc(`${f.doc} (${f.type})`, '    '), `    ${f.name}: ${offsets[f.name]},`);
    out.push('  },', '} as const;', '');
  }
  out.push(doc('The PiUi function fields in the order `pi_rt_ui_new` takes their addresses.'));
  out.push(
    `export const UI_CALLBACK_ORDER = [${rt.uiCallbackOrder.map((n) => `'${n}'`).join(', ')}] as const;`,
    '',
  );
  out.push(
    doc(
      'A bound runtime function: call it on the event-loop thread, or `.async(...args, callback)` on a koffi worker.',
    ),
    'export type RtFn<A extends unknown[], R> = ((...args: A) => R) & {',
    '  async: (...args: [...A, (err: unknown, result: R) => void]) => void;',
    '};',
    '',
    doc(
      'Every function the runtime library exports, typed; members are the C names without `pi_rt_`, in camelCase.',
    ),
    'export interface RuntimeFunctions {',
  );
  for (const f of rt.functions)
    out.push(doc(`${f.name}: ${f.doc}`, '  '), `  readonly ${memberName(f)}: ${tsSignature(f)};`);
  out.push('}', '');
  out.push(
    `let callbackTypes: { ${rt.callbacks.map((c) => `${c.name}: TypeObject`).join('; ')} } | undefined;`,
    '',
  );
  out.push(
    doc('The koffi callback types of the runtime (declared once per process: koffi type names are global).'),
    'export function runtimeCallbackTypes(): NonNullable<typeof callbackTypes> {',
    '  callbackTypes ??= {',
  );
  for (const c of rt.callbacks)
    out.push(`    ${c.name}: koffi.pointer(koffi.proto('${c.name}', ${koffiArgs(c)})),`);
  out.push('  };', '  return callbackTypes;', '}', '');
  const version = rt.functions.find((f) => f.name === 'pi_rt_version');
  if (version) {
    out.push(
      doc(
        'Call `pi_rt_version` of a loaded library on its own: checked before the rest is bound, which may not match.',
      ),
      'export function runtimeVersionOf(lib: LibraryHandle): number {',
      `  return (lib.func('${version.name}', ${koffiArgs(version)}) as () => number)();`,
      '}',
      '',
    );
  }
  out.push(
    doc('Declare every exported runtime function of a loaded runtime library with koffi.'),
    'export function bindRuntime(lib: LibraryHandle): RuntimeFunctions {',
    '  return {',
  );
  for (const f of rt.functions) out.push(`    ${memberName(f)}: lib.func('${f.name}', ${koffiArgs(f)}),`);
  out.push('  } as unknown as RuntimeFunctions;', '}', '');
  return out.join('\n');
}
