import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findAbiLiterals, scanAbiLiterals } from './abi-literals.js';

const srcDir = fileURLToPath(new URL('../', import.meta.url));

describe('runtime ABI literals in host-node sources', () => {
  it('finds none outside generated/: every record kind, flag, status and offset is named from the spec', () => {
    expect(scanAbiLiterals(srcDir)).toEqual([]);
  });

  it.each([
    ['if (status === -9) return x;', 'status literal'],
    ['if ((flags & 4) !== 0) fail();', 'flag bit literal'],
    ["['create', 1 << 16],", 'flag bit literal'],
    ['const status = cs[0]!;', 'call-state index'],
    ['const a = hdr.getBigUint64(o + 8, true);', 'record offset'],
    ["kind: kind === 1 ? 'app_config' : 'call_plugin',", 'kind literal'],
    ['this.cs = new Int32Array(koffi.view(ptr, 16));', 'view size literal'],
    ["const vtMajor = koffi.decode(vt, 4, 'uint16_t') as number;", 'decode offset literal'],
  ])('flags the hand-written literal in %s', (line, rule) => {
    expect(findAbiLiterals('x.ts', line).map((h) => h.rule)).toContain(rule);
  });

  it('ignores comments, strings and named constants', () => {
    const text = [
      '// the old code tested flags & 4',
      "const s = 'status === -9';",
      'if ((flags & CallFlag.BAD_STATUS) !== 0) fail();',
      'const a = hdr.getBigUint64(o + O.a, true);',
    ].join('\n');
    expect(findAbiLiterals('x.ts', text)).toEqual([]);
  });
});
