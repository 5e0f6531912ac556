// Runs `cargo test` for a crate or workspace, streams its output, and (under PI_TEST_REPORT=1)
// writes the totals to .test-results/cargo.json so the root test command can add them up.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = ['test', '--offline', ...process.argv.slice(2)];
const child = spawn('cargo', args, { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('error', (e) => {
  console.error(`cargo could not be started (${e.message}); install Rust from https://rustup.rs`);
  process.exit(1);
});
child.on('close', (code) => {
  let passed = 0;
  let failed = 0;
  let ignored = 0;
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    ignored += Number(m[3]);
  }
  if (process.env.PI_TEST_REPORT) {
    const dir = join(process.cwd(), '.test-results');
    mkdirSync(dir, { recursive: true });
    const runtimeErrors = code !== 0 && failed === 0 ? 1 : 0;
    const report = {
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: ignored,
      numRuntimeErrorTests: runtimeErrors,
    };
    writeFileSync(join(dir, 'cargo.json'), JSON.stringify(report));
  }
  process.exit(code ?? 1);
});
