import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/** A compiled validator for one schema. */
export interface Validator<S extends TSchema> {
  readonly schema: S;
  check(value: unknown): value is Static<S>;
  /** Human-readable problems, each with its JSON path; empty when valid. */
  errors(value: unknown, max?: number): string[];
}

/** Compile a schema once; checking is then a plain function call. */
export function createValidator<S extends TSchema>(schema: S, references: TSchema[] = []): Validator<S> {
  const compiled = TypeCompiler.Compile(schema, references);
  return {
    schema,
    check: (value: unknown): value is Static<S> => compiled.Check(value),
    errors(value, max = 10) {
      const out: string[] = [];
      for (const e of compiled.Errors(value)) {
        out.push(`${e.path || '/'}: ${e.message}`);
        if (out.length >= max) break;
      }
      return out;
    },
  };
}

/** JSON.parse that never throws: returns the value or the parse error text. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
