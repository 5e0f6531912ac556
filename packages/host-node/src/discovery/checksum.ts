import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PluginConfig } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { type Platform, platformKeys } from './platform.js';

/** SHA-256 of a file as lowercase hex, read as a stream (libraries can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** The `[checksums]` entry that applies to a platform: `<os>-<arch>` first, then `<os>`. */
export function expectedChecksum(
  config: PluginConfig,
  platform: Platform,
): { readonly key: string; readonly sha256: string } | undefined {
  for (const key of platformKeys(platform)) {
    const sha256 = config.checksums?.[key];
    if (sha256 !== undefined) return { key, sha256: sha256.toLowerCase() };
  }
  return undefined;
}

/**
 * Verify a library against the config's checksum for the platform (no entry: nothing to check).
 * Throws `CHECKSUM_MISMATCH` with the expected and actual digests.
 */
export async function verifyLibraryChecksum(
  dir: string,
  config: PluginConfig,
  libraryPath: string,
  platform: Platform,
): Promise<void> {
  const expected = expectedChecksum(config, platform);
  if (expected === undefined) return;
  const actual = await sha256File(libraryPath);
  if (actual === expected.sha256) return;
  const id = config.plugin.id;
  throw new HostError(
    'CHECKSUM_MISMATCH',
    `Plugin "${id}": ${libraryPath} has SHA-256 ${actual}, but [checksums] ${expected.key} in config.toml expects ` +
      `${expected.sha256}. The file is corrupt or was replaced: reinstall the plugin or update the checksum.`,
    {
      pluginId: id,
      location: { file: join(dir, 'config.toml') },
      detail: { key: expected.key, expected: expected.sha256, actual, libraryPath },
    },
  );
}
