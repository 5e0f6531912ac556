import { describe, expect, it } from 'vitest';
import { abi } from '../abi/index.js';
import { LIMIT_DEFS } from '../limits.js';
import { runtimeAbi } from './index.js';
import { rtScalarSize, rtStructLayout } from './model.js';

describe('runtime ABI', () => {
  it('orders the UI callbacks exactly like the PiUi function fields after frame', () => {
    const ui = abi.structs.find((s) => s.name === 'PiUi')!;
    const fnFields = ui.fields.filter((f) => f.type.kind === 'fn').map((f) => f.name);
    expect(runtimeAbi.uiCallbackOrder).toEqual(fnFields);
  });

  it('gives every constant of a group a distinct value and name', () => {
    for (const g of runtimeAbi.constants) {
      expect(new Set(g.members.map((m) => m.value)).size, g.name).toBe(g.members.length);
      expect(new Set(g.members.map((m) => m.name)).size, g.name).toBe(g.members.length);
    }
  });

  it('declares flag groups as single bits', () => {
    for (const g of runtimeAbi.constants.filter((c) => c.flags)) {
      for (const m of g.members) expect(m.value & (m.value - 1), `${g.name}.${m.name}`).toBe(0);
    }
  });

  it('lays the shared structs out without implicit padding', () => {
    for (const s of runtimeAbi.structs) {
      const sum = s.fields.reduce((n, f) => n + rtScalarSize(f.type), 0);
      expect(rtStructLayout(s).size, s.name).toBe(sum);
    }
  });

  it('reads every runtime limit from LIMIT_DEFS', () => {
    const names = new Set<string>(LIMIT_DEFS.map((l) => l.name));
    for (const l of runtimeAbi.limits) expect(names.has(l.limit), l.limit).toBe(true);
  });

  it('exports each function once, all named pi_rt_*', () => {
    const names = runtimeAbi.functions.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^pi_rt_[a-z_]+$/);
  });
});
