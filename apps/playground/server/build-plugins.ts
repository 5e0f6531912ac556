import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildExamples, libraryFileName } from '@plugin-interfaces/sdk-c/build-examples';
import { REPO_ROOT } from './paths.js';

/** Options of {@link buildExamplePlugins}. */
export interface BuildPluginsOptions {
  /** Where the plugin folders go (one subfolder per plugin). */
  readonly outDir: string;
  /** Also build the Rust examples when cargo is installed; default true. */
  readonly rust?: boolean;
  /** Receives one progress line at a time. */
  readonly onProgress?: (line: string) => void;
}

/** Rust examples that are broken on purpose and would take an in-process host down with them. */
const RUST_SKIP = new Set(['rust-panicky']);

/**
 * Compile the C example plugins (and the Rust ones when cargo exists) from source into ready
 * plugin folders under `outDir`. Throws with install advice when no C compiler is found.
 */
export async function buildExamplePlugins(options: BuildPluginsOptions): Promise<string[]> {
  const progress = options.onProgress ?? (() => undefined);
  await mkdir(options.outDir, { recursive: true });
  progress('building the C example plugins…');
  const built = await buildExamples({ outDir: options.outDir, onProgress: (l) => progress(`  ${l}`) });
  const ids = built.map((b) => b.id);
  if (options.rust === false) return ids;
  if (!(await hasCargo())) {
    progress('cargo not found: skipping the Rust examples (install Rust from https://rustup.rs to get them)');
    return ids;
  }
  progress('building the Rust example plugins (cargo build --offline --release --workspace)…');
  const sdkRust = join(REPO_ROOT, 'packages', 'sdk-rust');
  const ok = await runVisible('cargo', ['build', '--offline', '--release', '--workspace'], sdkRust, progress);
  if (!ok) {
    progress('  the Rust build failed: continuing with the C examples only');
    return ids;
  }
  for (const dir of await readdir(join(sdkRust, 'examples'))) {
    if (RUST_SKIP.has(dir)) continue;
    const id = await copyRustExample(
      join(sdkRust, 'examples', dir),
      join(sdkRust, 'target', 'release'),
      options.outDir,
    );
    if (id !== null) {
      ids.push(id);
      progress(`  ${id} ok`);
    }
  }
  return ids;
}

async function copyRustExample(
  exampleDir: string,
  releaseDir: string,
  outDir: string,
): Promise<string | null> {
  const config = await readFile(join(exampleDir, 'config.toml'), 'utf8').catch(() => null);
  if (config === null) return null;
  const id = /^\s*id\s*=\s*"([^"]+)"/m.exec(config)?.[1];
  const library = /^\s*library\s*=\s*"([^"]+)"/m.exec(config)?.[1];
  if (id === undefined || library === undefined) return null;
  const file = libraryFileName(library);
  const target = join(outDir, id);
  await mkdir(target, { recursive: true });
  await copyFile(join(releaseDir, file), join(target, file));
  await copyFile(join(exampleDir, 'config.toml'), join(target, 'config.toml'));
  return id;
}

function hasCargo(): Promise<boolean> {
  return new Promise((resolve) => execFile('cargo', ['--version'], (error) => resolve(error === null)));
}

/** Run a command, passing each output line to `progress`; resolves with success. */
function runVisible(
  cmd: string,
  args: string[],
  cwd: string,
  progress: (l: string) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (data: Buffer): void => {
      for (const line of data.toString('utf8').split('\n'))
        if (line.trim() !== '') progress(`  ${line.trim()}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}
