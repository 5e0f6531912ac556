import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostError } from '../errors.js';

/** Where the runtime shim's sources live (`packages/host-node/native`). */
export const nativeSourceDir = fileURLToPath(new URL('../../native/', import.meta.url));

/** The sdk-c `include/` folder holding the generated ABI header. */
export function sdkIncludeDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@plugin-interfaces/sdk-c/package.json')), 'include');
}

/** Options for {@link buildNativeRuntime}. */
export interface NativeBuildOptions {
  /** Cache folder; default `$PI_HOST_NATIVE_CACHE` or `node_modules/.cache/plugin-interfaces`. */
  readonly cacheDir?: string;
  /** C compiler; default `$CC` or `cc`. */
  readonly compiler?: string;
}

const SOURCES = ['pi_host_rt.c', 'pi_host_rt.h'];
const FLAGS = ['-std=c11', '-O2', '-shared', '-fPIC', '-pthread'];

function defaultCacheDir(): string {
  const fromEnv = process.env.PI_HOST_NATIVE_CACHE;
  if (fromEnv) return fromEnv;
  return fileURLToPath(new URL('../../node_modules/.cache/plugin-interfaces/', import.meta.url));
}

function libraryExtension(): string {
  if (process.platform === 'win32') return 'dll';
  return process.platform === 'darwin' ? 'dylib' : 'so';
}

/**
 * Compile the native runtime shim with the system C compiler, once per source/ABI/compiler
 * combination, and return the path of the cached shared library. The cache key hashes the shim
 * sources, the ABI header, the flags and the platform, so a changed header rebuilds it.
 */
export function buildNativeRuntime(options: NativeBuildOptions = {}): string {
  const include = sdkIncludeDir();
  const compiler = options.compiler ?? process.env.CC ?? 'cc';
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(readFileSync(join(nativeSourceDir, f)));
  hash.update(readFileSync(join(include, 'plugin_interfaces.h')));
  hash.update([compiler, ...FLAGS, process.platform, process.arch].join('\0'));
  const key = hash.digest('hex').slice(0, 16);
  const dir = options.cacheDir ?? defaultCacheDir();
  const out = join(dir, `pi_host_rt-${key}.${libraryExtension()}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const args = [...FLAGS, '-I', include, '-o', tmp, join(nativeSourceDir, 'pi_host_rt.c')];
  const r = spawnSync(compiler, args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new HostError(
      'NATIVE_TOOLCHAIN_MISSING',
      `No C compiler "${compiler}" was found to build host-node's native runtime. Install one (Debian/Ubuntu: apt-get install gcc; macOS: xcode-select --install) or set CC to its path.`,
    );
  }
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new HostError(
      'INTERNAL',
      `Building the native runtime with ${compiler} failed (exit ${r.status ?? r.signal}): ${(r.stderr || String(r.error)).trim()}`,
    );
  }
  renameSync(tmp, out);
  return out;
}
