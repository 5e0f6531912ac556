import type { AbiSpec, TypeRef } from './model.js';

/** A canonical, order-preserving spelling of a type, used for the fingerprint. */
export function typeKey(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'bool':
      return 'bool';
    case 'enum':
      return `enum:${type.name}`;
    case 'string':
      return type.mutable ? 'char*' : 'const char*';
    case 'handle':
      return 'void*';
    case 'pointer':
      return `${type.const ? 'const ' : ''}${typeKey(type.to)}*`;
    case 'struct':
      return `struct:${type.name}`;
    case 'fn':
      return `fn:${type.name}`;
    case 'chars':
      return `char[${type.length}]`;
  }
}

/** Everything that changes binary compatibility, as one string (docs excluded). */
export function canonicalAbi(spec: AbiSpec): string {
  const parts: string[] = [`abi ${spec.major}`, `entry ${spec.entrySymbol}`];
  for (const e of spec.enums)
    parts.push(`enum ${e.name} ${e.members.map((m) => `${m.name}=${m.value}`).join(',')}`);
  for (const f of spec.functions) {
    const ret = f.returns ? typeKey(f.returns) : 'void';
    parts.push(`fn ${f.name} ${ret}(${f.params.map((p) => typeKey(p.type)).join(',')})`);
  }
  for (const s of spec.structs)
    parts.push(`struct ${s.name} {${s.fields.map((f) => `${typeKey(f.type)} ${f.name}`).join(';')}}`);
  return parts.join('\n');
}

/** 64-bit FNV-1a over UTF-8 bytes, as 16 hex digits. Pure JS so the spec runs anywhere. */
export function fnv1a64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const b of bytes) {
    hash ^= BigInt(b);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The ABI fingerprint: identical exactly when every layout-relevant declaration is identical. */
export function abiFingerprint(spec: AbiSpec): string {
  return `${spec.major}.${spec.minor}-${fnv1a64(canonicalAbi(spec))}`;
}
