import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { PluginConfig } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { isInside } from './inside.js';
import { libraryFileName, type Platform } from './platform.js';

/** Folders (relative to the plugin folder) searched for a library given by name, in order. */
export const LIBRARY_SEARCH_DIRS: readonly string[] = [
  '.',
  join('target', 'release'),
  join('target', 'debug'),
];

const EXPLICIT = /\.(so|dylib|dll)$/i;

/**
 * The paths (relative to the plugin folder) where the library of a config may be, in search
 * order. `library` defaults to the id and becomes the platform file name (`lib<name>.so` …);
 * a name with a library extension is used as written; a value with a path separator is one
 * path relative to the plugin folder (no search). Install saves to the first entry.
 */
export function libraryCandidates(config: PluginConfig, platform: Platform): readonly string[] {
  const library = config.plugin.library ?? config.plugin.id;
  if (/[\\/]/.test(library) || isAbsolute(library)) return [library];
  const file = EXPLICIT.test(library) ? library : libraryFileName(library, platform.os);
  return LIBRARY_SEARCH_DIRS.map((d) => (d === '.' ? file : join(d, file)));
}

/**
 * Find the library of a plugin and return its real path (symlinks resolved). Throws
 * `LIBRARY_PATH_ESCAPE` when a candidate resolves outside the plugin folder (by `../`, an absolute
 * path or a symlink) and `LIBRARY_NOT_FOUND` listing every path tried.
 */
export async function resolveLibrary(dir: string, config: PluginConfig, platform: Platform): Promise<string> {
  const id = config.plugin.id;
  const base = resolve(dir);
  const realBase = await realpath(base);
  const tried: string[] = [];
  for (const rel of libraryCandidates(config, platform)) {
    const candidate = resolve(base, rel);
    if (!isInside(base, candidate)) throw escapeError(id, dir, rel, candidate);
    tried.push(candidate);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      continue;
    }
    if (!isInside(realBase, real)) throw escapeError(id, dir, rel, real);
    if ((await stat(real)).isFile()) return real;
  }
  const name = libraryCandidates(config, platform)[0] ?? '';
  throw new HostError(
    'LIBRARY_NOT_FOUND',
    `Plugin "${id}": no library file found. Tried:\n${tried.map((t) => `  ${t}`).join('\n')}\n` +
      `Build the plugin for this platform (e.g. \`cargo build --release\` or \`cc -shared -fPIC -o ${name} plugin.c\`) ` +
      `and put ${name} in ${dir}, or set [plugin] library in config.toml.`,
    { pluginId: id, location: { file: join(dir, 'config.toml') }, detail: { tried } },
  );
}

function escapeError(id: string, dir: string, library: string, target: string): HostError {
  return new HostError(
    'LIBRARY_PATH_ESCAPE',
    `Plugin "${id}": library "${library}" resolves to ${target}, outside the plugin folder ${dir}. ` +
      'Keep the library (and any symlink target) inside the plugin folder.',
    { pluginId: id, location: { file: join(dir, 'config.toml') }, detail: { library, target } },
  );
}
