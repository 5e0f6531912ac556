import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the runtime shim's sources live (`packages/host-node/native`). */
export const nativeSourceDir = fileURLToPath(new URL('../../native/', import.meta.url));

/** Where prebuilt runtimes live (`packages/host-node/prebuilds/<platform>-<arch>/`). */
export const prebuildsDir = fileURLToPath(new URL('../../prebuilds/', import.meta.url));

/** The shim's own sources (the generated ABI header included). */
export const NATIVE_SOURCES = ['pi_host_rt.c', 'pi_host_rt_abi.h', 'pi_rt_platform.h'] as const;

/** The sdk-c `include/` folder holding the generated plugin ABI header. */
export function sdkIncludeDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@plugin-interfaces/sdk-c/package.json')), 'include');
}

/** One platform the runtime is prebuilt for. */
export interface NativeTarget {
  /** `<platform>-<arch>` in Node's naming. */
  readonly id: string;
  /** Cross compiler used by `build:prebuilds` (Debian package names in `apt`). */
  readonly compiler: string;
  readonly apt: string;
  readonly file: string;
  readonly flags: readonly string[];
}

const COMMON = ['-std=c11', '-O2', '-shared', '-fvisibility=hidden', '-g0'];
const ELF = [...COMMON, '-fPIC', '-pthread', '-Wl,--build-id=none', '-Wl,-z,noexecstack'];

/**
 * The prebuilt targets. Flags are fixed and the paths of the sources are mapped away
 * (`-ffile-prefix-map`), and PE timestamps are off, so the same sources give the same bytes.
 */
export const NATIVE_TARGETS: readonly NativeTarget[] = [
  { id: 'linux-x64', compiler: 'x86_64-linux-gnu-gcc', apt: 'gcc', file: 'pi_host_rt.so', flags: ELF },
  {
    id: 'linux-arm64',
    compiler: 'aarch64-linux-gnu-gcc',
    apt: 'gcc-aarch64-linux-gnu libc6-dev-arm64-cross',
    file: 'pi_host_rt.so',
    flags: ELF,
  },
  {
    id: 'win32-x64',
    compiler: 'x86_64-w64-mingw32-gcc',
    apt: 'gcc-mingw-w64-x86-64',
    file: 'pi_host_rt.dll',
    flags: [...COMMON, '-static-libgcc', '-Wl,--no-insert-timestamp', '-Wl,--disable-auto-image-base'],
  },
];

/** The target of this process, if it is prebuilt. */
export function hostTarget(platform = process.platform, arch = process.arch): NativeTarget | undefined {
  return NATIVE_TARGETS.find((t) => t.id === `${platform}-${arch}`);
}

/** The compiler arguments that build `out` from the shim sources. */
export function compileArgs(flags: readonly string[], out: string): string[] {
  return [
    ...flags,
    `-ffile-prefix-map=${nativeSourceDir.replace(/[\\/]$/, '')}=native`,
    `-ffile-prefix-map=${sdkIncludeDir()}=sdk-c/include`,
    '-I',
    sdkIncludeDir(),
    '-o',
    out,
    join(nativeSourceDir, 'pi_host_rt.c'),
  ];
}

/** SHA-256 of the shim sources and the plugin ABI header: a prebuild made from other sources is stale. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const f of NATIVE_SOURCES) hash.update(readFileSync(join(nativeSourceDir, f)));
  hash.update(readFileSync(join(sdkIncludeDir(), 'plugin_interfaces.h')));
  return hash.digest('hex');
}
