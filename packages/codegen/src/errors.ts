import type { ErrorCode } from '@plugin-interfaces/spec';

/** A failure of the generator, with a stable code and a message naming the file or spec item. */
export class CodegenError extends Error {
  readonly code: ErrorCode | 'SPEC_INVALID' | 'GENERATED_STALE';
  constructor(code: CodegenError['code'], message: string) {
    super(message);
    this.name = 'CodegenError';
    this.code = code;
  }
}

export function isCodegenError(e: unknown): e is CodegenError {
  return e instanceof CodegenError;
}
