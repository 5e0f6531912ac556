#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AbiSpec, abi } from '@plugin-interfaces/spec';
import { isCodegenError } from './errors.js';
import { generateAll } from './outputs.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function loadSpec(path: string | undefined): Promise<AbiSpec> {
  if (!path) return abi;
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { abi?: AbiSpec; default?: AbiSpec };
  const spec = mod.abi ?? mod.default;
  if (!spec) throw new Error(`${path} exports neither "abi" nor a default spec`);
  return spec;
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const specArg = argv.indexOf('--spec');
  const spec = await loadSpec(specArg >= 0 ? argv[specArg + 1] : undefined);
  const files = generateAll(spec, (path) => readFileSync(resolve(root, path), 'utf8'));
  const stale: string[] = [];
  for (const f of files) {
    const abs = resolve(root, f.path);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : null;
    if (current === f.content) continue;
    if (check) stale.push(f.path);
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.content);
      process.stdout.write(`wrote ${f.path}\n`);
    }
  }
  if (check && stale.length > 0) {
    process.stderr.write(
      `Generated files are stale; run \`pnpm generate\` and commit:\n${stale.map((s) => `  ${s}`).join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(
    check
      ? `generated files are up to date (${files.length} files)\n`
      : `generate: ${files.length} files checked\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(
      `pnpm generate failed: ${isCodegenError(e) || e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(1);
  },
);
