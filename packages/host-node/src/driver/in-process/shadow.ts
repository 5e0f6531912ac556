import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const PREFIX = 'pi-host-shadow-';
let live = 0;
let swept = false;
let exitHook = false;

/** Remove a folder; what cannot go now (Windows: a DLL still mapped) stays for the next sweep. */
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left for sweepStaleShadows in a later process.
  }
}

/** The folder of this process's shadow copies. */
export function shadowDir(): string {
  return join(tmpdir(), `${PREFIX}${process.pid}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove shadow folders left by processes that no longer run (a crash, or Windows, where a loaded
 * DLL cannot be deleted until its process ends). Runs once per process, before the first copy.
 */
export function sweepStaleShadows(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length)) : Number.NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid))
      removeQuietly(join(tmpdir(), name));
  }
}

/** SHA-256 (hex) of a file's bytes. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Copy a plugin library into this process's shadow folder (a rebuilt file then loads fresh while
 * the old copy stays mapped) and return the copy's path.
 */
export function makeShadowCopy(path: string): string {
  if (!swept) {
    swept = true;
    sweepStaleShadows();
  }
  const dir = shadowDir();
  mkdirSync(dir, { recursive: true });
  if (!exitHook) {
    exitHook = true;
    // Windows keeps loaded DLLs undeletable: what remains is swept by the next process.
    process.once('exit', () => removeQuietly(dir));
  }
  const shadowPath = join(dir, `${randomBytes(6).toString('hex')}-${basename(path)}`);
  copyFileSync(path, shadowPath);
  live++;
  return shadowPath;
}

/** Delete a shadow copy; the folder goes with the last one. Failures (Windows: still mapped) are left to the sweep. */
export function removeShadowCopy(shadowPath: string): void {
  try {
    rmSync(shadowPath, { force: true });
  } catch {
    // Still mapped on Windows: the folder is swept after this process ends.
  }
  if (--live <= 0) {
    live = 0;
    try {
      rmdirSync(shadowDir());
    } catch {
      // Not empty (a copy could not be deleted) or already gone.
    }
  }
}
