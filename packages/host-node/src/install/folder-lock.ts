import { resolve } from 'node:path';

const queues = new Map<string, Promise<unknown>>();

/**
 * Run `fn` after every earlier call for the same folder has settled, so two installs (or an
 * install and an uninstall) of one plugin in this process never interleave their renames.
 * Other processes are not coordinated.
 */
export async function withFolderLock<T>(folder: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(folder);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  try {
    return await run;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}
