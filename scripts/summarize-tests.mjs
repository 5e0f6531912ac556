// Adds up the vitest JSON reports and cargo's results written during `npm test` and prints one
// closing line: "tests: N passed, N failed". Exits non-zero when anything failed or nothing ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name, '.test-results');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const p = report.numPassedTests ?? 0;
      const f = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTests ?? 0);
      const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      passed += p;
      failed += f;
      skipped += s;
      rows.push(
        `${`${group}/${name}`.padEnd(28)} ${file.padEnd(16)} ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`,
      );
    }
  }
}
console.log(rows.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
