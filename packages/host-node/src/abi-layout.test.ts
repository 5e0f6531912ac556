import { abi, computeLayouts } from '@plugin-interfaces/spec';
import koffi, { type TypeObject } from 'koffi';
import { describe, expect, it } from 'vitest';
import { ABI, abiTypes } from './generated/abi.js';

describe('generated koffi declarations', () => {
  const types = abiTypes() as unknown as Record<string, TypeObject>;
  const layouts = computeLayouts(abi);

  for (const s of abi.structs) {
    it(`lays out ${s.name} exactly as the spec`, () => {
      const expected = layouts.get(s.name)!;
      const type = types[s.name]!;
      expect({ size: koffi.sizeof(type), align: koffi.alignof(type) }).toEqual({
        size: expected.size,
        align: expected.align,
      });
      expect(expected.fields.map((f) => [f.name, koffi.offsetof(type, f.name)])).toEqual(
        expected.fields.map((f) => [f.name, f.offset]),
      );
    });
  }

  it('carries the spec version and entry symbol', () => {
    expect(ABI).toMatchObject({ major: abi.major, minor: abi.minor, entrySymbol: 'pi_plugin_entry' });
  });
});
