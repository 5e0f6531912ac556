#!/usr/bin/env node
// Prints one table of the conformance scenario results of every host: rows scenario (language),
// columns host / mode. Each runner writes <spec>/conformance/.test-results/<host>.json (host-node's
// test/conformance/scenarios.test.ts, host-rust's tests/conformance.rs). Exits 1 when a run failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir =
  process.env.PI_CONFORMANCE_RESULTS ?? join(here, '..', '..', 'spec', 'conformance', '.test-results');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const rows = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
if (rows.length === 0) {
  console.log(`conformance table: no results in ${dir} yet (run the host-node and host-rust tests).`);
  process.exit(0);
}
const columns = [...new Set(rows.map((r) => `${r.host} ${r.mode}`))].sort();
const keys = [...new Set(rows.map((r) => `${r.scenario} (${r.lang})`))].sort();
const cell = new Map(rows.map((r) => [`${r.scenario} (${r.lang})|${r.host} ${r.mode}`, r]));
const width = Math.max(...keys.map((k) => k.length), 'scenario'.length);
const line = (first, cells) =>
  `${first.padEnd(width)} | ${cells.map((c, i) => c.padEnd(columns[i].length)).join(' | ')}`;
console.log(`\nConformance scenarios (${dir})`);
console.log(line('scenario', columns));
console.log(`${'-'.repeat(width)}-|-${columns.map((c) => '-'.repeat(c.length)).join('-|-')}`);
let failed = 0;
for (const k of keys) {
  const cells = columns.map((c) => {
    const r = cell.get(`${k}|${c}`);
    if (r === undefined) return '-';
    if (!r.ok) failed++;
    return r.ok ? `ok ${r.ms} ms` : 'FAIL';
  });
  console.log(line(k, cells));
}
for (const r of rows.filter((x) => !x.ok))
  console.log(`FAIL ${r.scenario} (${r.lang}) on ${r.host} ${r.mode}: ${r.error}`);
/** JSON with object keys sorted, so key order (serde sorts, JavaScript keeps insertion) does not matter. */
const canon = (v) =>
  Array.isArray(v)
    ? `[${v.map(canon).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canon(v[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
// The last frames of one scenario run must be the same on every host and mode (ids included).
let compared = 0;
const differ = [];
for (const k of keys) {
  const runs = columns.map((c) => cell.get(`${k}|${c}`)).filter((r) => r?.ok && r.frames !== undefined);
  if (runs.length < 2) continue;
  compared++;
  const base = canon(runs[0].frames);
  for (const r of runs.slice(1))
    if (canon(r.frames) !== base)
      differ.push(`${k}: ${runs[0].host} ${runs[0].mode} and ${r.host} ${r.mode} end with different frames`);
}
// Informational: the scenarios are the contract; a difference here is worth a scenario step.
for (const d of differ) console.log(`DIFFER ${d}`);
console.log(
  `last UI frames identical across hosts and modes: ${compared - differ.length}/${compared} scenario runs`,
);
const counts = columns.map(
  (c) =>
    `${c}: ${rows.filter((r) => `${r.host} ${r.mode}` === c && r.ok).length}/${rows.filter((r) => `${r.host} ${r.mode}` === c).length}`,
);
console.log(`passed per column: ${counts.join(', ')}\n`);
process.exit(failed > 0 ? 1 : 0);
