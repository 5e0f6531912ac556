import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../errors.js';
import { compileArgs, hostTarget, sourceHash } from './targets.js';

/** Options for {@link buildNativeRuntime}. */
export interface NativeBuildOptions {
  /**
   * Cache folder for a runtime compiled on this machine; default `$PI_HOST_NATIVE_CACHE`, else the
   * per-user cache (`$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`) +
   * `/plugin-interfaces`. Never inside `node_modules`, which may be read-only.
   */
  readonly cacheDir?: string;
  /** C compiler; default `$CC` or `cc`. */
  readonly compiler?: string;
  /** Ignore the prebuilt runtime and compile (default: `$PI_HOST_NATIVE_BUILD === '1'`). */
  readonly forceBuild?: boolean;
}

const GENERIC_FLAGS = ['-std=c11', '-O2', '-shared', '-fPIC', '-pthread', '-fvisibility=hidden'];

/** The per-user cache folder for compiled runtimes on this platform. */
export function userCacheDir(): string {
  const fromEnv = process.env.PI_HOST_NATIVE_CACHE;
  if (fromEnv) return fromEnv;
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'plugin-interfaces');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'plugin-interfaces');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'plugin-interfaces');
}

function libraryExtension(): string {
  if (process.platform === 'win32') return 'dll';
  return process.platform === 'darwin' ? 'dylib' : 'so';
}

function installHint(): string {
  if (process.platform === 'darwin') return 'xcode-select --install';
  if (process.platform === 'win32')
    return 'MinGW-w64 gcc (e.g. from MSYS2) and set CC to x86_64-w64-mingw32-gcc';
  return 'apt-get install gcc (Debian/Ubuntu), dnf install gcc (Fedora) or apk add build-base (Alpine)';
}

/**
 * Compile the native runtime shim with the local C compiler, once per source/compiler/platform
 * combination, into the per-user cache, and return the library path. Only a fallback: platforms
 * with a prebuilt runtime load that instead (see `locateNativeRuntime`).
 */
export function buildNativeRuntime(options: NativeBuildOptions = {}): string {
  const compiler = options.compiler ?? process.env.CC ?? 'cc';
  const flags = hostTarget()?.flags ?? GENERIC_FLAGS;
  const key = createHash('sha256')
    .update([sourceHash(), compiler, ...flags, process.platform, process.arch].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const dir = options.cacheDir ?? userCacheDir();
  const out = join(dir, `pi_host_rt-${key}.${libraryExtension()}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync(compiler, compileArgs(flags, tmp), { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new HostError(
      'NATIVE_TOOLCHAIN_MISSING',
      `host-node has no prebuilt native runtime for ${process.platform}-${process.arch} and no C compiler "${compiler}" was found to build one. Install a C compiler (${installHint()}) or set CC to its path.`,
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
