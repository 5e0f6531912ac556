import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createValidator } from '../validate.js';
import { ConformanceScenario, type ConformanceStep } from './conformance.js';
import { matchPattern, PATTERN_OPERATORS, patternOperator, substituteIds } from './conformance-match.js';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance');
const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
const validator = createValidator(ConformanceScenario);

/** Every `$…` key anywhere in a value (an operator pattern must be its object's only key). */
function badOperators(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => badOperators(v, `${path}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  const out: string[] = [];
  for (const k of keys) {
    if (k.startsWith('$') && (keys.length !== 1 || patternOperator(value) === null))
      out.push(`${path}/${k}: not a lone operator of ${PATTERN_OPERATORS.join(', ')}`);
    out.push(...badOperators((value as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return out;
}

describe('conformance scenario files', () => {
  it('exist for every example the TS conformance suite covered', () => {
    const scenarios = files.map(
      (f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as ConformanceScenario,
    );
    const examples = new Set(scenarios.flatMap((s) => s.plugins.map((p) => p.example)));
    for (const ex of ['echo', 'ui-demo', 'streamer', 'config-caller', 'history'])
      expect(examples).toContain(ex);
  });

  it.each(files)(
    '%s matches the schema, is named after its file and uses only declared plugins and aliases',
    (file) => {
      const scenario: unknown = JSON.parse(readFileSync(join(folder, file), 'utf8'));
      expect(validator.errors(scenario)).toEqual([]);
      const s = scenario as ConformanceScenario;
      expect(`${s.name}.json`).toBe(file);
      const examples = new Set(s.plugins.map((p) => p.example));
      const aliases = new Set<string>();
      const problems: string[] = [];
      s.steps.forEach((step: ConformanceStep, i) => {
        if ('plugin' in step && !examples.has(step.plugin))
          problems.push(`step ${i}: plugin ${step.plugin} not declared`);
        if ('instance' in step && step.instance !== undefined && !aliases.has(step.instance))
          problems.push(`step ${i}: alias ${step.instance} used before a load defines it`);
        if (step.op === 'load') aliases.add(step.as);
        const ids = JSON.stringify(step).match(/\$\{id:([a-z0-9-]+)\}/g) ?? [];
        for (const id of ids)
          if (!examples.has(id.slice(5, -1))) problems.push(`step ${i}: ${id} not declared`);
      });
      problems.push(...badOperators(s.steps));
      expect(problems).toEqual([]);
    },
  );
});

describe('matchPattern', () => {
  it('matches objects as subsets, arrays element by element and scalars by equality', () => {
    expect(matchPattern({ a: 1 }, { a: 1, b: 2 })).toBeNull();
    expect(matchPattern({ a: { b: true } }, { a: { b: false } })).toBe('/a/b: expected true, got false');
    expect(matchPattern([1, 2], [1, 2, 3])).toContain('expected 2 items');
    expect(matchPattern(null, null)).toBeNull();
    expect(matchPattern({ a: null }, {})).toBe('/a: expected null, got undefined');
  });

  it('applies the string operators, $oneOf, $allOf and $any', () => {
    expect(matchPattern({ $contains: 'ell' }, 'hello')).toBeNull();
    expect(matchPattern({ $startsWith: 'he' }, 'hello')).toBeNull();
    expect(matchPattern({ $endsWith: 'lo' }, 'help')).toContain('$endsWith');
    expect(matchPattern({ $oneOf: ['a', 'b'] }, 'b')).toBeNull();
    expect(matchPattern({ $oneOf: ['a', 'b'] }, 'c')).toContain('matches none');
    expect(matchPattern({ $allOf: [{ $startsWith: 'x' }, { $endsWith: 'z' }] }, 'xyz')).toBeNull();
    expect(matchPattern({ $allOf: [{ $startsWith: 'x' }, { $endsWith: 'z' }] }, 'xy')).toContain('$endsWith');
    expect(matchPattern({ a: { $any: true } }, { a: 0 })).toBeNull();
    expect(matchPattern({ a: { $any: true } }, {})).toContain('expected a value');
  });

  it('replaces the id placeholder of an example with the resolved plugin id', () => {
    const placeholder = ['$', '{id:echo}'].join('');
    expect(substituteIds(`call ${placeholder} hi`, (e) => `rust-${e}`)).toBe('call rust-echo hi');
  });
});
