import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * CI check for the one status vocabulary: a PiStatus is written as `PiStatus.X` (generated from
 * the spec), never as a number, and its name is looked up by the one `statusName` in
 * `pi-status.ts`. The scan covers every `.ts` file under `src/` and `test/`, tests included;
 * `generated/` is the spec's own output.
 */

interface Hit {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly rule: string;
}

/** A PiStatus value as a literal: 0, 1 or a negative one- or two-digit number (not HTTP codes). */
const N = String.raw`(?:-\s*\d{1,2}|[01])\b(?!\.)`;
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ['status compared with a number', new RegExp(String.raw`\bstatus\w*\s*[!=]==?\s*${N}`, 'i')],
  ['number compared with a status', new RegExp(String.raw`(?:^|[^\w.])${N}\s*[!=]==?\s*[\w.]*status\b`, 'i')],
  ['status set to a number', new RegExp(String.raw`\bstatus\s*[:=]\s*${N}`)],
  ['status case label', /\bcase\s+-\s*\d+\s*:/],
  ['failure built from a number', new RegExp(String.raw`\b(?:hostFailure|fail)\(\s*${N}`)],
  ['string status lookup', /\bstatus\(\s*['"`]/],
  ['local statusName', /\b(?:function|const|let)\s+statusName\b/],
];

/** The one definition of `statusName`. */
const STATUS_NAME_HOME = 'src/pi-status.ts';

function codeOf(raw: string): string {
  return (
    raw
      // regular expression literals (after an operator or an opening bracket)
      .replace(/([(,:=!&|?]\s*)\/(?:[^/\\\n]|\\.)+\/[a-z]*/g, '$1/re/')
      .replace(/\/\/.*$/, '')
      .replace(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"/g, (s) =>
        // keep the opening quote so `status('X')` is still seen as a string lookup
        s[0] === '`' ? '``' : `${s[0]}${s[0]}`,
      )
  );
}

/**
 * A child process's exit status is not a PiStatus: `r.status` of `const r = spawnSync(…)` and
 * `spawnSync(…).status` are removed from a line before the rules run.
 */
function withoutExitStatuses(text: string): (code: string) => string {
  const names = [...text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*spawnSync\(/g)].map((m) => m[1]);
  const exit = new RegExp(String.raw`(?:\b(?:${names.join('|') || '$^'})|spawnSync\([^)]*\))\.status\b`, 'g');
  return (code) => code.replace(exit, 'exit');
}

function findStatusLiterals(file: string, text: string): Hit[] {
  const hits: Hit[] = [];
  const strip = withoutExitStatuses(text);
  text.split('\n').forEach((raw, i) => {
    const code = strip(codeOf(raw));
    if (/^\s*(?:\*|\/\*)/.test(code)) return;
    for (const [rule, re] of RULES) {
      if (rule === 'local statusName' && file === STATUS_NAME_HOME) continue;
      if (re.test(code)) hits.push({ file, line: i + 1, text: raw.trim(), rule });
    }
  });
  return hits;
}

const root = fileURLToPath(new URL('../', import.meta.url));
const SELF = 'src/status-literals.test.ts';

function scan(): Hit[] {
  const out: Hit[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).replaceAll('\\', '/');
      if (entry.isDirectory()) {
        if (rel !== 'src/generated' && entry.name !== 'node_modules') walk(path);
      } else if (/\.(?:ts|mts|tsx)$/.test(entry.name) && rel !== SELF) {
        out.push(...findStatusLiterals(rel, readFileSync(path, 'utf8')));
      }
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'test'));
  return out;
}

describe('PiStatus literals in host-node sources and tests', () => {
  it('finds none: every status is PiStatus.X and statusName is defined once', () => {
    expect(scan()).toEqual([]);
  });

  it.each([
    ['if (event.status === 0) ok();', 'status compared with a number'],
    ['if (-9 !== outcome.status) x();', 'number compared with a status'],
    ["out.push({ kind: 'reply', status: -9, content: null });", 'status set to a number'],
    ['getAppConfig: () => ({ status: 0, value: null }),', 'status set to a number'],
    ['case -5:', 'status case label'],
    ["return hostFailure(-1, 'x');", 'failure built from a number'],
    ["expect(a).toEqual({ status: status('OK') });", 'string status lookup'],
    ['export function statusName(s: number) {', 'local statusName'],
  ])('flags %s', (line, rule) => {
    expect(findStatusLiterals('src/x.ts', line).map((h) => h.rule)).toContain(rule);
  });

  it('ignores named statuses, exit statuses of child processes, HTTP statuses, comments and strings', () => {
    const text = [
      "const r = spawnSync('cc', args);",
      'if (r.status !== 0) throw new Error(r.stderr);',
      "if (spawnSync('cargo', ['--version']).status !== 0) skip();",
      'if (event.status === PiStatus.OK) ok();',
      'res.writeHead(404); const refusal = { status: 403 };',
      '// the old code compared status === -9',
      "const s = 'status: -9';",
      'expect(reply).toMatch(/^call status=-9$/);',
      'const want = { reply: /status: 0/ };',
      'const took = status10ms + 1;',
    ].join('\n');
    expect(findStatusLiterals('src/x.ts', text)).toEqual([]);
  });
});
