import type { AbiSpec, TypeRef } from './model.js';

/** One problem found in a spec, naming the item it is about. */
export interface SpecProblem {
  readonly item: string;
  readonly message: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEAD = ['struct_size', 'abi_major', 'abi_minor'];

/**
 * Check that a spec is sound: unique names, known types, no by-value cycles, versioned tables
 * with their head, enums without duplicate values or unexpected gaps. Returns every problem.
 */
export function checkAbi(spec: AbiSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (item: string, message: string) => problems.push({ item, message });
  const seen = new Map<string, string>();
  const declare = (name: string, what: string) => {
    if (!IDENT.test(name)) add(name, `${what} name "${name}" is not a C identifier`);
    const prev = seen.get(name);
    if (prev) add(name, `${what} "${name}" is declared twice (also as ${prev})`);
    else seen.set(name, what);
  };
  for (const c of spec.constants) declare(c.name, 'constant');
  for (const e of spec.enums) declare(e.name, 'enum');
  for (const f of spec.functions) declare(f.name, 'function type');
  for (const s of spec.structs) declare(s.name, 'struct');

  const enums = new Set(spec.enums.map((e) => e.name));
  const fns = new Set(spec.functions.map((f) => f.name));
  const structs = new Set(spec.structs.map((s) => s.name));
  const checkType = (where: string, type: TypeRef, declaredBefore: Set<string> | null) => {
    switch (type.kind) {
      case 'enum':
        if (!enums.has(type.name)) add(where, `${where} uses unknown enum "${type.name}"`);
        break;
      case 'fn':
        if (!fns.has(type.name)) add(where, `${where} uses unknown function type "${type.name}"`);
        break;
      case 'struct':
        if (!structs.has(type.name)) add(where, `${where} uses unknown struct "${type.name}"`);
        else if (declaredBefore && !declaredBefore.has(type.name))
          add(where, `${where} embeds struct "${type.name}" by value before it is declared`);
        break;
      case 'pointer':
        checkType(where, type.to, null);
        break;
      case 'chars':
        if (!Number.isInteger(type.length) || type.length <= 0)
          add(where, `${where} has a char array of length ${type.length}`);
        break;
      default:
        break;
    }
  };

  for (const e of spec.enums) {
    if (!e.doc) add(e.name, `enum ${e.name} has no doc`);
    const names = new Set<string>();
    const values = new Map<number, string>();
    for (const m of e.members) {
      const item = `${e.name}.${m.name}`;
      if (names.has(m.name)) add(item, `enum member ${item} is declared twice`);
      names.add(m.name);
      const other = values.get(m.value);
      if (other !== undefined) add(item, `enum member ${item} reuses value ${m.value} of ${e.name}.${other}`);
      values.set(m.value, m.name);
      if (e.flags && m.value !== 0 && (m.value & (m.value - 1)) !== 0)
        add(item, `flag ${item} is not a power of two`);
    }
    if (e.contiguous && e.members.length > 0) {
      const sorted = [...values.keys()].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i]! !== sorted[i - 1]! + 1)
          add(e.name, `enum ${e.name} has a gap between ${sorted[i - 1]} and ${sorted[i]}`);
      }
    }
  }
  for (const f of spec.functions) {
    const names = new Set<string>();
    for (const p of f.params) {
      const item = `${f.name}(${p.name})`;
      if (names.has(p.name)) add(item, `parameter ${item} is declared twice`);
      names.add(p.name);
      if (!IDENT.test(p.name)) add(item, `parameter ${item} is not a C identifier`);
      if (p.type.kind === 'struct' || p.type.kind === 'chars')
        add(item, `parameter ${item} passes an aggregate by value`);
      checkType(item, p.type, null);
    }
    if (f.returns) checkType(`${f.name}(return)`, f.returns, null);
  }
  const before = new Set<string>();
  for (const s of spec.structs) {
    if (!s.doc) add(s.name, `struct ${s.name} has no doc`);
    const names = new Set<string>();
    s.fields.forEach((field, i) => {
      const item = `${s.name}.${field.name}`;
      if (names.has(field.name)) add(item, `field ${item} is declared twice`);
      names.add(field.name);
      if (!IDENT.test(field.name)) add(item, `field ${item} is not a C identifier`);
      if (!field.doc) add(item, `field ${item} has no doc`);
      checkType(item, field.type, before);
      if (s.versioned && i < HEAD.length && field.name !== HEAD[i])
        add(item, `versioned table ${s.name} must start with ${HEAD.join(', ')}`);
    });
    before.add(s.name);
  }
  return problems;
}

/** Thrown by assertAbi; its message lists every problem. */
export class SpecCheckError extends Error {
  readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    super(`The ABI spec is unsound:\n${problems.map((p) => `  - ${p.item}: ${p.message}`).join('\n')}`);
    this.name = 'SpecCheckError';
    this.problems = problems;
  }
}

/** Throw a SpecCheckError when the spec has problems. */
export function assertAbi(spec: AbiSpec): void {
  const problems = checkAbi(spec);
  if (problems.length > 0) throw new SpecCheckError(problems);
}
