import type { ScalarName, TypeRef } from '@plugin-interfaces/spec';

/** C spelling of each fixed-width scalar (koffi uses the same names). */
export const cScalars: Readonly<Record<ScalarName, string>> = {
  u8: 'uint8_t',
  u16: 'uint16_t',
  u32: 'uint32_t',
  u64: 'uint64_t',
  i32: 'int32_t',
  i64: 'int64_t',
  f64: 'double',
  usize: 'size_t',
};

/** C spelling of a type (without a declarator). `chars` renders as `char` – the caller adds `[N]`. */
export function cType(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return cScalars[type.name];
    case 'bool':
      return 'uint8_t';
    case 'enum':
    case 'struct':
    case 'fn':
      return type.name;
    case 'string':
      return type.mutable ? 'char*' : 'const char*';
    case 'handle':
      return 'void*';
    case 'chars':
      return 'char';
    case 'pointer': {
      const inner = cType(type.to);
      const indirect = type.to.kind === 'pointer' || type.to.kind === 'string' || type.to.kind === 'handle';
      if (!type.const) return `${inner}*`;
      return indirect ? `${inner} const*` : `const ${inner}*`;
    }
  }
}

/** `type name` or `char name[N]`. */
export function cDecl(type: TypeRef, name: string): string {
  return type.kind === 'chars' ? `char ${name}[${type.length}]` : `${cType(type)} ${name}`;
}

/** The type whose alignment is the field's alignment (arrays align like their element). */
export function cAlignType(type: TypeRef): string {
  return type.kind === 'chars' ? 'char' : cType(type);
}
