import type { AbiSpec } from './model.js';

/** `{ OK: 0, PENDING: 1, ... }` for one enum of the spec, for code that needs the numbers. */
export function enumValues(spec: AbiSpec, name: string): Readonly<Record<string, number>> {
  const e = spec.enums.find((x) => x.name === name);
  if (!e) throw new Error(`The spec has no enum named ${name}`);
  return Object.fromEntries(e.members.map((m) => [m.name, m.value]));
}
