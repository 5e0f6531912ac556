import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const STALE = /^\.(install|old)-/;

/**
 * Remove `.install-*` and `.old-*` folders that a crashed install or uninstall left in the plugins
 * folder. Only folders not modified for `olderThanMs` (default one hour) are removed, so a
 * running install in another process is left alone. Returns the removed paths.
 */
export async function removeStaleInstallFolders(
  pluginsDir: string,
  olderThanMs = 60 * 60 * 1000,
): Promise<string[]> {
  const names = await readdir(pluginsDir).catch(() => [] as string[]);
  const removed: string[] = [];
  const cutoff = Date.now() - olderThanMs;
  for (const name of names.filter((n) => STALE.test(n))) {
    const path = join(pluginsDir, name);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isDirectory() || info.mtimeMs > cutoff) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
