import { join } from 'node:path';
import { ABI_MAJOR, ABI_MINOR, type PluginConfig } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';

/** The ABI version a host implements. */
export interface AbiVersion {
  readonly major: number;
  readonly minor: number;
}

/** This host's ABI version, from the spec. */
export const HOST_ABI: AbiVersion = { major: ABI_MAJOR, minor: ABI_MINOR };

/**
 * Refuse early, without opening the library, a plugin whose `[plugin] abi` declares another
 * major (`ABI_MAJOR_MISMATCH`) or a newer minor (`ABI_MINOR_TOO_NEW`) than the host. Plugins that
 * declare nothing pass; the loader still checks the version the library itself reports.
 */
export function checkDeclaredAbi(dir: string, config: PluginConfig, host: AbiVersion = HOST_ABI): void {
  const declared = config.plugin.abi;
  if (declared === undefined) return;
  const [major, minor] = declared.split('.').map(Number) as [number, number];
  const id = config.plugin.id;
  const location = { file: join(dir, 'config.toml') };
  const detail = { declared, host: `${host.major}.${host.minor}` };
  if (major !== host.major) {
    throw new HostError(
      'ABI_MAJOR_MISMATCH',
      `Plugin "${id}" declares ABI ${declared} but this host implements ABI ${host.major}.${host.minor}. ` +
        `Rebuild the plugin against the ABI ${host.major} SDK.`,
      { pluginId: id, location, detail },
    );
  }
  if (minor > host.minor) {
    throw new HostError(
      'ABI_MINOR_TOO_NEW',
      `Plugin "${id}" needs ABI ${declared} but this host implements only ${host.major}.${host.minor}. ` +
        'Update the host or rebuild the plugin against an older SDK.',
      { pluginId: id, location, detail },
    );
  }
}
