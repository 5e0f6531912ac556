/** Operating system names used in `[checksums]` and `[download.<platform>]` keys. */
export type PlatformOs = 'linux' | 'macos' | 'windows';

/** An operating system and CPU architecture (`x64`, `arm64`, or Node's name for others). */
export interface Platform {
  readonly os: PlatformOs;
  readonly arch: string;
}

/** The platform this process runs on; any Unix other than macOS counts as `linux` (`.so` files). */
export function currentPlatform(): Platform {
  const os: PlatformOs =
    process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
  return { os, arch: process.arch };
}

/** `<os>-<arch>` of a platform (default: this one), e.g. `linux-x64`; the most specific config key. */
export function platformKey(platform: Platform = currentPlatform()): string {
  return `${platform.os}-${platform.arch}`;
}

/** Config keys to try for a platform, most specific first: `linux-x64`, then `linux`. */
export function platformKeys(platform: Platform = currentPlatform()): readonly string[] {
  return [platformKey(platform), platform.os];
}

/**
 * The file name a library base name gets on an OS: `lib<name>.so` (Linux), `lib<name>.dylib`
 * (macOS), `<name>.dll` (Windows). Discovery looks for this name and install saves under it.
 */
export function libraryFileName(name: string, os: PlatformOs = currentPlatform().os): string {
  if (os === 'windows') return `${name}.dll`;
  return os === 'macos' ? `lib${name}.dylib` : `lib${name}.so`;
}
