import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One numeric literal of the runtime or plugin ABI restated by hand. */
export interface AbiLiteral {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly rule: string;
}

/**
 * Patterns that restate an ABI value instead of naming it from `generated/`: status codes
 * compared as negative numbers, flag bits tested or built from literals, call-state words and
 * record fields read at literal indexes or offsets, record/request/lifecycle kinds compared as
 * numbers, memory views of a literal size, and struct fields decoded at a literal offset.
 */
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ['status literal', /[!=]==\s*-\d+\b|\bcase\s+-\d+\s*:/],
  ['flag bit literal', /[&|]\s*(?:0x[0-9a-f]+|[1-9]\d*)\b(?!\s*[&|])|\b1\s*<<\s*\d+/i],
  ['call-state index', /\bcs\[\d+\]/],
  ['record offset', /\.get(?:Big)?(?:Ui|I)nt(?:8|16|32|64)\(\s*\w+\s*\+\s*\d+/],
  ['kind literal', /\b(?:kind|which|i1|control|by)\s*[!=]==\s*[1-9]\d*\b/],
  ['view size literal', /koffi\.view\([^,]+,\s*\d+\s*\)/],
  ['decode offset literal', /koffi\.decode\([^,]+,\s*\d+\s*,/],
];

/** Files near the runtime whose numbers are not runtime ABI, with the reason. */
const NOT_ABI: Readonly<Record<string, string>> = {
  'driver/in-process/arch.ts': 'reads ELF, Mach-O and PE file headers',
  'native/abi-literals.ts': 'this scanner (its patterns are regular expressions)',
};

/** Find ABI literals in one file's text. */
export function findAbiLiterals(file: string, text: string): AbiLiteral[] {
  const found: AbiLiteral[] = [];
  text.split('\n').forEach((raw, i) => {
    const code = raw
      .replace(/\/\/.*$/, '')
      .replace(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"/g, "''");
    if (/^\s*(?:\*|\/\*)/.test(code)) return;
    for (const [rule, re] of RULES) {
      if (re.test(code)) found.push({ file, line: i + 1, text: raw.trim(), rule });
    }
  });
  return found;
}

/**
 * Scan the TypeScript sources that talk to the native runtime (`src/native`, `src/driver/in-process`)
 * for the rules above and the whole of `src` for status literals; `generated/` and tests are skipped.
 */
export function scanAbiLiterals(srcDir: string): AbiLiteral[] {
  const out: AbiLiteral[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(srcDir, path).replaceAll('\\', '/');
      if (entry.isDirectory()) {
        if (rel !== 'generated') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        if (NOT_ABI[rel]) continue;
        const nearRuntime = rel.startsWith('native/') || rel.startsWith('driver/in-process/');
        const hits = findAbiLiterals(rel, readFileSync(path, 'utf8'));
        out.push(...(nearRuntime ? hits : hits.filter((h) => h.rule === 'status literal')));
      }
    }
  };
  walk(srcDir);
  return out;
}
