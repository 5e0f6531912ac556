/**
 * The vocabulary of host-node's runtime ABI: the internal contract between the native runtime
 * shim (`pi_host_rt`, C) and the TypeScript in-process driver. It is not part of the plugin ABI
 * (plugins never see it) but it crosses a C boundary all the same, so it is declared once, here,
 * and generated for both sides.
 */

/** Scalar types of record and call-state fields. */
export type RtScalar = 'u32' | 'i32' | 'u64';

/**
 * Types of exported-function parameters and returns. Generators map each to C, koffi and
 * TypeScript: `instance` is the opaque `PiRtInstance *`, `bytes`/`u32s`/`u64s` are caller
 * buffers (typed arrays on the JS side), `cstr` a NUL-terminated UTF-8 string (nullable), `ptr`
 * any other address.
 */
export type RtType =
  | 'void'
  | 'i32'
  | 'u32'
  | 'u64'
  | 'ptr'
  | 'cstr'
  | 'instance'
  | 'vtable'
  | 'metadata'
  | 'ui'
  | 'bytes'
  | 'u32s'
  | 'u64s'
  | 'request-cb';

/** One field of a fixed-layout record shared through memory. */
export interface RtFieldDef {
  readonly name: string;
  readonly type: RtScalar;
  readonly doc: string;
}

/** A struct both sides read through memory (little-endian, natural alignment, no padding). */
export interface RtStructDef {
  readonly name: string;
  readonly doc: string;
  readonly fields: readonly RtFieldDef[];
}

/** A named integer constant: a record kind, a flag bit, an index. */
export interface RtConstDef {
  readonly name: string;
  readonly value: number;
  readonly doc: string;
}

/** A group of related constants, emitted as one C enum and one TypeScript object. */
export interface RtConstGroup {
  /** PascalCase; C names are `PI_RT_<SNAKE>_<MEMBER>`. */
  readonly name: string;
  readonly doc: string;
  /** True when members are bits that combine with `|`. */
  readonly flags: boolean;
  readonly members: readonly RtConstDef[];
}

/** A parameter of an exported function or callback. */
export interface RtParamDef {
  readonly name: string;
  readonly type: RtType;
}

/** A function the runtime library exports, or a callback type it calls. */
export interface RtFnDef {
  readonly name: string;
  readonly doc: string;
  readonly returns: RtType;
  readonly params: readonly RtParamDef[];
}

/** A limit the shim enforces; the value comes from `LIMIT_DEFS`. */
export interface RtLimitDef {
  /** C macro suffix: `PI_RT_<name>`. */
  readonly cName: string;
  /** Name in LIMIT_DEFS. */
  readonly limit: string;
}

/** The whole runtime ABI. */
export interface RuntimeAbi {
  /** Bumped on every change; the TypeScript side refuses a shim reporting another version. */
  readonly version: number;
  readonly structs: readonly RtStructDef[];
  readonly constants: readonly RtConstGroup[];
  /**
   * The PiUi function fields, in the order the host hands their addresses to `pi_rt_ui_new`
   * (the PiUi struct order after `frame`).
   */
  readonly uiCallbackOrder: readonly string[];
  readonly limits: readonly RtLimitDef[];
  readonly callbacks: readonly RtFnDef[];
  readonly functions: readonly RtFnDef[];
}

/** Size in bytes of a runtime scalar. */
export function rtScalarSize(type: RtScalar): number {
  return type === 'u64' ? 8 : 4;
}

/** Byte offset of each field of a runtime struct (natural alignment) and the struct size. */
export function rtStructLayout(s: RtStructDef): { offsets: Record<string, number>; size: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  let align = 1;
  for (const f of s.fields) {
    const n = rtScalarSize(f.type);
    at = Math.ceil(at / n) * n;
    offsets[f.name] = at;
    at += n;
    align = Math.max(align, n);
  }
  return { offsets, size: Math.ceil(at / align) * align };
}
