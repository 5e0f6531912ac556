import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Extra config.toml text per plugin id (tables after `[plugin]`). */
export interface FakePluginSpec {
  readonly id: string;
  readonly requireHistory?: boolean;
  readonly extra?: string;
}

/**
 * Make a plugin root in a temp folder with one folder per plugin: a config.toml and an empty
 * `lib<id>.so` (the fake driver never opens it). Dispose to delete it.
 */
export async function makePluginRoot(
  specs: readonly FakePluginSpec[],
): Promise<AsyncDisposable & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'pi-host-'));
  for (const s of specs) {
    const dir = join(root, s.id);
    await mkdir(dir);
    const lines = [
      '[plugin]',
      `id = "${s.id}"`,
      `name = "${s.id}"`,
      'version = "0.1.0"',
      `description = "fake ${s.id}"`,
      `require_history = ${s.requireHistory === true}`,
      '',
      s.extra ?? '',
    ];
    await writeFile(join(dir, 'config.toml'), lines.join('\n'));
    await writeFile(join(dir, `lib${s.id}.so`), '');
  }
  return { root, [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
}

/** A plugin folder `<root>/<id>` with `lib<id>.so` copied from `library` (if any) and a config. */
export function pluginFolder(root: string, id: string, library: string | null, extra = ''): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  if (library !== null) copyFileSync(library, join(dir, `lib${id}.so`));
  writeFileSync(
    join(dir, 'config.toml'),
    `[plugin]\nid = "${id}"\nname = "${id}"\nversion = "1.0.0"\ndescription = "doctor test"\n${extra}\n`,
  );
  return dir;
}

/** SHA-256 of a file, hex. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The text of a minimal valid config.toml, with extra `[plugin]` lines and tables. */
export function configText(id: string, pluginLines = '', tables = ''): string {
  return `[plugin]\nid = "${id}"\nname = "${id} plugin"\nversion = "1.0.0"\ndescription = "test"\n${pluginLines}\n${tables}`;
}

/** Write a plugin folder with a config and files (relative path → contents). */
export async function writePluginDir(
  dir: string,
  config: string,
  files: Readonly<Record<string, string | Uint8Array>> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.toml'), config);
  for (const [rel, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), bytes);
  }
  return dir;
}
