import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildNativeRuntime, type NativeBuildOptions } from './build.js';
import { hostTarget, prebuildsDir, sourceHash } from './targets.js';

/** What `build:prebuilds` writes next to each binary. */
export interface PrebuildManifest {
  readonly target: string;
  /** `sourceHash()` of the sources it was built from. */
  readonly sources: string;
  readonly sha256: string;
}

/**
 * The prebuilt runtime for this platform when it exists and was built from the sources shipped
 * beside it; otherwise null (stale or missing).
 */
export function prebuiltRuntime(): string | null {
  const target = hostTarget();
  if (!target) return null;
  const dir = join(prebuildsDir, target.id);
  const file = join(dir, target.file);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(file) || !existsSync(manifestPath)) return null;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<PrebuildManifest>;
    return manifest.sources === sourceHash() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Where the runtime library to load is: the package's prebuilt binary for this platform, else a
 * build with the local compiler into the per-user cache (`forceBuild` or `PI_HOST_NATIVE_BUILD=1`
 * skips the prebuilt one).
 */
export function locateNativeRuntime(options: NativeBuildOptions = {}): string {
  const force = options.forceBuild ?? process.env.PI_HOST_NATIVE_BUILD === '1';
  const prebuilt = force ? null : prebuiltRuntime();
  return prebuilt ?? buildNativeRuntime(options);
}
