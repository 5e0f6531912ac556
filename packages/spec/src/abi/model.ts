/**
 * The vocabulary the ABI is written in. Every struct, function pointer, enum and constant that
 * crosses the C boundary is a value of these types; generators turn them into C, Rust and koffi.
 */

/** Fixed-width scalars. `usize` is `size_t`/`usize`; everything else has one size on every target. */
export type ScalarName = 'u8' | 'u16' | 'u32' | 'u64' | 'i32' | 'i64' | 'f64' | 'usize';

/** A C type as the spec understands it. */
export type TypeRef =
  | { readonly kind: 'scalar'; readonly name: ScalarName }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly name: string }
  | { readonly kind: 'string'; readonly mutable: boolean }
  | { readonly kind: 'handle' }
  | { readonly kind: 'pointer'; readonly to: TypeRef; readonly const: boolean }
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'fn'; readonly name: string }
  | { readonly kind: 'chars'; readonly length: number };

/**
 * Who owns memory behind a pointer.
 * - `borrowed`: valid only for the duration of the call it is passed to; copy to keep.
 * - `plugin-owned`: allocated by the plugin, released with the plugin's `free_string`.
 * - `host-owned`: allocated by the host, released with the host's `free_string`.
 * - `host-frame`: owned by the host, valid until the current `update_ui` call returns.
 * - `static`: lives as long as the library stays loaded.
 * - `value`: not a pointer; nothing to release.
 */
export type Ownership = 'borrowed' | 'plugin-owned' | 'host-owned' | 'host-frame' | 'static' | 'value';

export interface FieldDef {
  readonly name: string;
  readonly type: TypeRef;
  readonly doc: string;
  readonly ownership: Ownership;
  /** True when a NULL pointer (or a NULL function pointer) is a legal value. */
  readonly nullable?: boolean;
}

export interface ParamDef {
  readonly name: string;
  readonly type: TypeRef;
  readonly doc: string;
  readonly ownership: Ownership;
  readonly nullable?: boolean;
}

/** A function-pointer type. */
export interface FnDef {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamDef[];
  readonly returns: TypeRef | null;
  /** Which threads may make this call. */
  readonly thread: string;
}

export interface StructDef {
  readonly name: string;
  readonly doc: string;
  /** Versioned tables start with `struct_size`, `abi_major`, `abi_minor` and may only grow at the end. */
  readonly versioned: boolean;
  readonly fields: readonly FieldDef[];
}

export interface EnumMember {
  readonly name: string;
  readonly value: number;
  readonly doc: string;
}

/** Enums cross the ABI as `int32_t` (or `uint32_t` for flag sets), never as a C `enum`. */
export interface EnumDef {
  readonly name: string;
  readonly doc: string;
  readonly flags?: boolean;
  /** When true, gaps between member values are an error in the spec check. */
  readonly contiguous?: boolean;
  readonly members: readonly EnumMember[];
}

export interface ConstDef {
  readonly name: string;
  readonly doc: string;
  readonly value: number | string;
}

/** The whole ABI: what every generator reads. */
export interface AbiSpec {
  readonly prefix: string;
  readonly major: number;
  readonly minor: number;
  readonly entrySymbol: string;
  readonly constants: readonly ConstDef[];
  readonly enums: readonly EnumDef[];
  readonly functions: readonly FnDef[];
  readonly structs: readonly StructDef[];
}

/** Constructors that keep spec files short and readable. */
export const t = {
  u8: { kind: 'scalar', name: 'u8' },
  u16: { kind: 'scalar', name: 'u16' },
  u32: { kind: 'scalar', name: 'u32' },
  u64: { kind: 'scalar', name: 'u64' },
  i32: { kind: 'scalar', name: 'i32' },
  i64: { kind: 'scalar', name: 'i64' },
  f64: { kind: 'scalar', name: 'f64' },
  usize: { kind: 'scalar', name: 'usize' },
  bool: { kind: 'bool' },
  str: { kind: 'string', mutable: false },
  mutStr: { kind: 'string', mutable: true },
  handle: { kind: 'handle' },
  enumOf: (name: string): TypeRef => ({ kind: 'enum', name }),
  ptr: (to: TypeRef): TypeRef => ({ kind: 'pointer', to, const: false }),
  constPtr: (to: TypeRef): TypeRef => ({ kind: 'pointer', to, const: true }),
  struct: (name: string): TypeRef => ({ kind: 'struct', name }),
  fn: (name: string): TypeRef => ({ kind: 'fn', name }),
  chars: (length: number): TypeRef => ({ kind: 'chars', length }),
} as const satisfies Record<string, TypeRef | ((...args: never[]) => TypeRef)>;

/** The three fields every versioned table starts with. */
export function tableHead(table: string): FieldDef[] {
  return [
    {
      name: 'struct_size',
      type: t.u32,
      ownership: 'value',
      doc: `sizeof(${table}) as the producer compiled it; tells the reader which trailing fields exist.`,
    },
    {
      name: 'abi_major',
      type: t.u16,
      ownership: 'value',
      doc: 'ABI major version the producer was built against.',
    },
    {
      name: 'abi_minor',
      type: t.u16,
      ownership: 'value',
      doc: 'ABI minor version the producer was built against.',
    },
  ];
}
