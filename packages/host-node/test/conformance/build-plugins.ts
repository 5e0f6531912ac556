import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExamples, libraryFileName } from '@plugin-interfaces/sdk-c/build-examples';
import { parse } from 'smol-toml';
import type { LanguageCase } from './matrix.js';

const sdkRust = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'sdk-rust');

/** A plugin root built for one language, or why it could not be built (then the tests skip). */
export type BuiltRoot =
  | { readonly root: string; readonly skip: null }
  | { readonly root: null; readonly skip: string };

/** Build the example plugins `ids` (without prefix) of one language into a fresh temp plugin root. */
export async function buildPlugins(language: LanguageCase, ids: readonly string[]): Promise<BuiltRoot> {
  const root = await mkdtemp(join(tmpdir(), `pi-conformance-${language.lang}-`));
  if (language.lang === 'c') {
    await buildExamples({ outDir: root, examples: ids });
    return { root, skip: null };
  }
  return buildRust(
    root,
    ids.map((id) => `${language.prefix}${id}`),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Rust: `cargo build --offline --release --workspace`, then copy each example's library and config.toml. */
async function buildRust(root: string, ids: readonly string[]): Promise<BuiltRoot> {
  if (spawnSync('cargo', ['--version']).status !== 0)
    return { root: null, skip: 'cargo is not installed: the Rust half of the conformance suite is skipped.' };
  const examples = await rustExamples();
  const missing = ids.filter((id) => !examples.has(id));
  if (missing.length > 0)
    return {
      root: null,
      skip: `Rust examples ${missing.join(', ')} are not in packages/sdk-rust/examples yet.`,
    };
  const r = spawnSync('cargo', ['build', '--offline', '--release', '--workspace'], {
    cwd: sdkRust,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cargo build failed in ${sdkRust}:\n${r.stderr}`);
  for (const id of ids) {
    const ex = examples.get(id);
    if (ex === undefined) continue;
    const dir = join(root, id);
    await mkdir(dir, { recursive: true });
    await copyFile(join(ex.dir, 'config.toml'), join(dir, 'config.toml'));
    const target = libraryFileName(ex.library);
    const candidates = [libraryFileName(ex.crate.replace(/-/g, '_')), libraryFileName(ex.crate), target];
    const release = join(sdkRust, 'target', 'release');
    let copied = false;
    for (const c of candidates) {
      if (await exists(join(release, c))) {
        await copyFile(join(release, c), join(dir, target));
        copied = true;
        break;
      }
    }
    if (!copied) throw new Error(`No library for ${id} in ${release} (tried ${candidates.join(', ')}).`);
  }
  return { root, skip: null };
}

interface RustExample {
  readonly dir: string;
  readonly crate: string;
  readonly library: string;
}

/** Example folders of sdk-rust with a config.toml, by plugin id. */
async function rustExamples(): Promise<Map<string, RustExample>> {
  const out = new Map<string, RustExample>();
  const base = join(sdkRust, 'examples');
  const names = await readdir(base).catch(() => [] as string[]);
  for (const name of names) {
    const dir = join(base, name);
    const configText = await readFile(join(dir, 'config.toml'), 'utf8').catch(() => null);
    if (configText === null) continue;
    const config = parse(configText) as { plugin?: { id?: string; library?: string } };
    const cargoText = await readFile(join(dir, 'Cargo.toml'), 'utf8').catch(() => '');
    const crate = (parse(cargoText || '[package]\nname = ""') as { package?: { name?: string } }).package
      ?.name;
    const id = config.plugin?.id;
    if (id === undefined) continue;
    out.set(id, { dir, crate: crate || name, library: config.plugin?.library ?? id });
  }
  return out;
}
