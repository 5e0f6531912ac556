#!/usr/bin/env node
// pi-doctor <plugin-folder>: check a plugin folder and run a lifecycle smoke test (see src/doctor).
// Runs the compiled doctor from dist; inside the repository, where the sources are, it runs them
// through tsx instead, so no build is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = new URL('../src/doctor/cli.ts', import.meta.url);
const compiled = new URL('../dist/doctor/cli.js', import.meta.url);
const fromSource = existsSync(fileURLToPath(source));

if (fromSource && process.env.PI_DOCTOR_SOURCES !== '1') {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      tsx,
      '--conditions=@plugin-interfaces/source',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, PI_DOCTOR_SOURCES: '1' } },
  );
  process.exit(run.status ?? 1);
}

const { main } = await import(fromSource ? source.href : compiled.href);
process.exitCode = await main(process.argv.slice(2));
