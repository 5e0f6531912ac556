/** A 1-based line and column in a text. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const KEY =
  /^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=/;

/** Split a TOML dotted key (`a."b.c".d`) into its unquoted segments. */
function splitDottedKey(key: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:\.|$)/gy;
  for (let m = re.exec(key); m !== null && m[0] !== ''; m = re.exec(key)) {
    const quoted = m[2];
    out.push(m[1] ?? (quoted === undefined ? (m[3] ?? '') : (JSON.parse(`"${quoted}"`) as string)));
  }
  return out;
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Best-effort search of TOML source for where a key path is written: a `key = ...` line or a
 * `[table]` header. When the exact key is absent (a required key is missing), the closest written
 * ancestor is returned instead, so the author is pointed at the right table. Multi-line strings
 * and inline tables are not interpreted; `undefined` when nothing matches.
 */
export function findKeyPosition(text: string, path: readonly string[]): TextPosition | undefined {
  let table: string[] = [];
  let best: { depth: number; pos: TextPosition } | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = HEADER.exec(line);
    let full: string[] | undefined;
    let column = 1;
    if (header?.[1] !== undefined) {
      table = splitDottedKey(header[1]);
      full = table;
      column = line.indexOf('[') + 1;
    } else {
      const key = KEY.exec(line);
      if (key?.[1] !== undefined) {
        full = [...table, ...splitDottedKey(key[1])];
        column = line.length - line.trimStart().length + 1;
      }
    }
    if (full === undefined) continue;
    const depth = commonPrefix(full, path);
    // Only count lines that lie on the path (all their segments are a prefix of it).
    if (depth === full.length && depth > 0 && (best === undefined || depth > best.depth)) {
      best = { depth, pos: { line: i + 1, column } };
      if (depth === path.length) return best.pos;
    }
  }
  return best?.pos;
}
