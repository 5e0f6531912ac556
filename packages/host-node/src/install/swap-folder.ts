import { randomBytes } from 'node:crypto';
import { lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A hidden sibling name for a folder being replaced or removed (`.old-<name>-<random>`). */
export function retiredName(target: string): string {
  return join(dirname(target), `.old-${basename(target)}-${randomBytes(6).toString('hex')}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Put a fully prepared folder in place of `target` with renames only: the current folder (if
 * any) is renamed aside, the new one renamed in, then the old one removed. If renaming the new
 * folder in fails, the old one is renamed back, so `target` is always either the old or the new
 * version. Both folders must be on one file system (the staging folder lives in the same parent).
 */
export async function swapIntoPlace(staging: string, target: string): Promise<void> {
  let old: string | null = null;
  if (await exists(target)) {
    old = retiredName(target);
    await rename(target, old);
  }
  try {
    await rename(staging, target);
  } catch (e) {
    if (old !== null) await rename(old, target);
    throw e;
  }
  if (old !== null) await rm(old, { recursive: true, force: true }).catch(() => undefined);
}
