import type { RtType } from '@plugin-interfaces/spec';

/** SCREAMING_SNAKE_CASE of a PascalCase group name: RecordKind → RECORD_KIND. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** camelCase of a snake_case name: request_timeout_ms → requestTimeoutMs. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** How one runtime type is spelled in C, in koffi and in TypeScript (as a parameter and as a result). */
interface TypeSpelling {
  readonly c: string;
  readonly koffi: string;
  readonly tsParam: string;
  readonly tsResult: string;
}

const SPELLINGS: Record<RtType, TypeSpelling> = {
  void: { c: 'void', koffi: 'void', tsParam: 'never', tsResult: 'void' },
  i32: { c: 'int32_t', koffi: 'int32_t', tsParam: 'number', tsResult: 'number' },
  u32: { c: 'uint32_t', koffi: 'uint32_t', tsParam: 'number', tsResult: 'number' },
  u64: { c: 'uint64_t', koffi: 'uint64_t', tsParam: 'number | bigint', tsResult: 'number | bigint' },
  ptr: { c: 'void*', koffi: 'void *', tsParam: 'bigint', tsResult: 'bigint | null' },
  cstr: { c: 'const char*', koffi: 'const char *', tsParam: 'string | null', tsResult: 'string | null' },
  instance: { c: 'PiRtInstance*', koffi: 'void *', tsParam: 'bigint', tsResult: 'bigint | null' },
  vtable: { c: 'const PiPluginVTable*', koffi: 'void *', tsParam: 'bigint', tsResult: 'bigint | null' },
  metadata: { c: 'const PiPluginMetadata*', koffi: 'void *', tsParam: 'Uint8Array', tsResult: 'never' },
  ui: { c: 'const PiUi*', koffi: 'void *', tsParam: 'bigint', tsResult: 'never' },
  bytes: { c: 'uint8_t*', koffi: 'void *', tsParam: 'Uint8Array', tsResult: 'never' },
  u32s: { c: 'uint32_t*', koffi: 'void *', tsParam: 'Uint32Array', tsResult: 'never' },
  u64s: { c: 'const uint64_t*', koffi: 'void *', tsParam: 'BigUint64Array', tsResult: 'never' },
  'request-cb': { c: 'PiRtRequestCb', koffi: 'void *', tsParam: 'unknown', tsResult: 'never' },
};

/** The spelling of a runtime type for each target. */
export function spell(type: RtType): TypeSpelling {
  return SPELLINGS[type];
}
