// Checks every event host-rust emitted during the conformance run (.test-results/host-rust-events.jsonl,
// written by tests/conformance.rs) against the spec's FrontendEvent schema: host-rust's JSON is
// the spec's JSON. Exits 1 naming the first invalid events.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validators } from '../../spec/src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir =
  process.env.PI_CONFORMANCE_RESULTS ?? join(here, '..', '..', 'spec', 'conformance', '.test-results');
const file = join(dir, 'host-rust-events.jsonl');
if (!existsSync(file)) {
  console.error(`${file} is missing: run cargo test --offline first.`);
  process.exit(1);
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const bad: string[] = [];
const names = new Map<string, number>();
for (const line of lines) {
  const event: unknown = JSON.parse(line);
  const name = (event as { event?: string }).event ?? '?';
  names.set(name, (names.get(name) ?? 0) + 1);
  if (!validators.frontendEvent.check(event))
    bad.push(`${line.slice(0, 200)}\n  ${validators.frontendEvent.errors(event).join('\n  ')}`);
}
const counts = [...names].map(([n, c]) => `${n} ${c}`).join(', ');
if (bad.length > 0) {
  console.error(
    `${bad.length} of ${lines.length} host-rust events break the FrontendEvent schema:\n${bad.slice(0, 5).join('\n')}`,
  );
  process.exit(1);
}
console.log(`host-rust events: all ${lines.length} match the spec's FrontendEvent schema (${counts}).`);
