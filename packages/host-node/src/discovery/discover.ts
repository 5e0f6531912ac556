import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/index.js';
import { HostError } from '../errors.js';
import { checkPlugin, readConfigEntry } from './inspect-plugin.js';
import type { DiscoveredPlugin, DiscoveryOptions, DiscoveryResult, RootScan } from './types.js';
import { verifyLibraries } from './verify-libraries.js';

/**
 * Scan the immediate subfolders of each root for plugins (a folder with a config.toml), check
 * each one and report all of them: one broken plugin never hides the others, and a missing root
 * is reported in `roots` rather than thrown. Folders whose name starts with `.` (install
 * staging folders among them) are skipped. When two folders declare the same id the first root
 * (then the first folder name) wins and the others get `PLUGIN_ID_DUPLICATE` naming both. With
 * `verifyLibraries`, every ready library is also opened in a child process (see
 * `verifyLibraries`) and one that can never load becomes an `error` entry with the load's error.
 */
export async function discoverPlugins(
  roots: readonly string[],
  options: DiscoveryOptions = {},
): Promise<DiscoveryResult> {
  const scans: RootScan[] = [];
  const folders: string[] = [];
  for (const root of roots) {
    const found = await pluginFolders(root);
    scans.push(found.scan);
    folders.push(...found.folders);
  }

  const entries = await Promise.all(folders.map((dir) => readConfigEntry(dir, options)));
  const owners = new Map<string, string>();
  const checked = await Promise.all(
    entries.map((entry, i) => {
      const dir = folders[i] ?? '';
      if ('status' in entry) return entry;
      const id = entry.config.plugin.id;
      const owner = owners.get(id);
      if (owner === undefined) {
        owners.set(id, dir);
        return checkPlugin(dir, entry, options);
      }
      return duplicate(dir, entry.configPath, entry.config, owner);
    }),
  );
  const plugins = options.verifyLibraries === true ? await withVerifiedLibraries(checked) : checked;
  const byId = new Map<string, DiscoveredPlugin>();
  for (const p of plugins) if (p.config !== null && owners.get(p.id) === p.dir) byId.set(p.id, p);
  return { plugins, byId, roots: scans };
}

async function withVerifiedLibraries(plugins: readonly DiscoveredPlugin[]): Promise<DiscoveredPlugin[]> {
  const paths = plugins.flatMap((p) =>
    p.status === 'ready' && p.libraryPath !== null ? [p.libraryPath] : [],
  );
  const verdicts = await verifyLibraries(paths);
  return plugins.map((p) => {
    const error = p.libraryPath === null ? undefined : verdicts.get(p.libraryPath);
    if (p.status !== 'ready' || error == null) return p;
    return { ...p, libraryPath: null, status: 'error', error };
  });
}

async function pluginFolders(root: string): Promise<{ scan: RootScan; folders: string[] }> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT';
    const message = missing
      ? `Plugin folder ${root} does not exist; create it or remove it from the plugin roots.`
      : `Plugin folder ${root} cannot be listed (${code ?? String(e)}).`;
    return { scan: { root, status: missing ? 'missing' : 'error', message, plugins: 0 }, folders: [] };
  }
  const folders: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (await hasConfigEntry(dir)) folders.push(dir);
  }
  return { scan: { root, status: 'ok', plugins: folders.length }, folders };
}

/**
 * True for a folder with something named config.toml in it. A config.toml that is a directory,
 * a FIFO or a dangling symlink makes the folder an `error` entry (reading it says why) rather
 * than a folder silently ignored; a plain file in the root is not a plugin folder.
 */
async function hasConfigEntry(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    await lstat(join(dir, CONFIG_FILE_NAME));
    return true;
  } catch {
    return false;
  }
}

function duplicate(
  dir: string,
  configPath: string,
  config: NonNullable<DiscoveredPlugin['config']>,
  owner: string,
): DiscoveredPlugin {
  const id = config.plugin.id;
  const error = new HostError(
    'PLUGIN_ID_DUPLICATE',
    `Plugin id "${id}" in ${dir} is already used by ${owner}; this copy is ignored. ` +
      'Remove one of the folders or give one plugin another id.',
    { pluginId: id, location: { file: configPath }, detail: { dir, owner } },
  );
  return { id, dir, configPath, config, libraryPath: null, status: 'error', error };
}
