#!/usr/bin/env node
// Compiles the example plugins in ../examples into ready plugin folders (<outDir>/<id>/ holding
// the shared library and config.toml) with the system C compiler. Used by the host's tests and
// the playground; run it directly with `node scripts/build-examples.mjs [outDir]`.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES_DIR = join(PACKAGE_DIR, 'examples');
const INCLUDE_DIR = join(PACKAGE_DIR, 'include');
const COMMON_DIR = join(EXAMPLES_DIR, 'common');

/** The default output folder: packages/sdk-c/build/plugins. */
export const DEFAULT_OUT_DIR = join(PACKAGE_DIR, 'build', 'plugins');

/** File name of a shared library on this OS: libecho.so, libecho.dylib or echo.dll. */
export function libraryFileName(id, platform = process.platform) {
  if (platform === 'win32') return `${id}.dll`;
  return platform === 'darwin' ? `lib${id}.dylib` : `lib${id}.so`;
}

/** Ids of every example: the folders under examples/ that hold a config.toml. */
export async function listExamples() {
  const entries = await readdir(EXAMPLES_DIR, { withFileTypes: true });
  const ids = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await mtimeOf(join(EXAMPLES_DIR, entry.name, 'config.toml'))) !== undefined) {
      ids.push(entry.name);
    }
  }
  return ids.sort();
}

async function mtimeOf(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function filesIn(dir, extensions) {
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => extensions.some((ext) => name.endsWith(ext))).map((name) => join(dir, name));
}

async function assertCompiler(cc) {
  try {
    await run(cc, ['--version']);
  } catch (error) {
    if (error?.code === 'ENOENT') {
      throw new Error(
        `No C compiler found ("${cc}" is not installed). Install one to build the example plugins, ` +
          'e.g. `apt-get install build-essential` on Debian/Ubuntu or `xcode-select --install` on macOS, ' +
          'or point CC at a compiler.',
      );
    }
    throw error;
  }
}

async function isUpToDate(outputs, inputs) {
  const outTimes = await Promise.all(outputs.map(mtimeOf));
  if (outTimes.some((time) => time === undefined)) return false;
  const inTimes = await Promise.all(inputs.map(mtimeOf));
  return Math.max(...inTimes.map((time) => time ?? Number.POSITIVE_INFINITY)) <= Math.min(...outTimes);
}

/**
 * Compiler flags for a shared library on `platform`. Windows (MinGW-w64): a DLL that exports only
 * what PI_EXPORT marks (`__declspec(dllexport)`), with libgcc and winpthreads linked in statically
 * so it loads with nothing but the system DLLs.
 */
export function libraryFlags(platform = process.platform) {
  const common = ['-std=c11', '-O2', '-shared', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden'];
  if (platform === 'win32') return [...common, '-pthread', '-static', '-s'];
  return [...common, '-g', '-fPIC', '-pthread'];
}

async function buildOne(id, outDir, cc, platform) {
  const sourceDir = join(EXAMPLES_DIR, id);
  const dir = join(outDir, id);
  const library = join(dir, libraryFileName(id, platform));
  const config = join(sourceDir, 'config.toml');
  const sources = await filesIn(sourceDir, ['.c']);
  if (sources.length === 0) throw new Error(`Example "${id}" has no .c file in ${sourceDir}.`);
  const headers = [
    ...(await filesIn(sourceDir, ['.h'])),
    ...(await filesIn(INCLUDE_DIR, ['.h'])),
    ...(await filesIn(COMMON_DIR, ['.h'])),
  ];
  const outputs = [library, join(dir, 'config.toml')];
  if (await isUpToDate(outputs, [...sources, ...headers, config])) return { id, dir, library, skipped: true };
  await mkdir(dir, { recursive: true });
  const flags = [...libraryFlags(platform), '-I', INCLUDE_DIR, '-o', library, ...sources];
  try {
    await run(cc, flags);
  } catch (error) {
    throw new Error(
      `Compiling example "${id}" failed (${cc} ${flags.join(' ')}):\n${error.stderr ?? error.message}`,
    );
  }
  await copyFile(config, join(dir, 'config.toml'));
  return { id, dir, library, skipped: false };
}

/**
 * Builds the example plugins (all, or the given ids) into `<outDir>/<id>/` and resolves with one
 * `{ id, dir, library }` per example. Outputs newer than their sources are kept. Throws an Error
 * that says how to install a C compiler when `cc` (or `$CC`) is missing.
 */
export async function buildExamples(options = {}) {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const platform = options.platform ?? process.platform;
  const report = options.onProgress ?? (() => {});
  const ids = options.examples ?? (await listExamples());
  await assertCompiler(cc);
  const built = [];
  for (const id of ids) {
    const started = performance.now();
    const result = await buildOne(id, outDir, cc, platform);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    report(`building ${id}… ${result.skipped ? 'up to date' : `ok (${seconds} s)`}`);
    built.push({ id: result.id, dir: result.dir, library: result.library });
  }
  return built;
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  buildExamples({ outDir: process.argv[2] ?? DEFAULT_OUT_DIR, onProgress: (line) => console.log(line) }).then(
    (built) =>
      console.log(`${built.length} plugin folders in ${resolve(process.argv[2] ?? DEFAULT_OUT_DIR)}`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
