import { PLUGIN_ID_PATTERN } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';

const ID = new RegExp(PLUGIN_ID_PATTERN);

/** True when `id` matches the spec's plugin id pattern (which also rules out `..`-style traversal). */
export function isValidPluginId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && id !== '.' && id !== '..';
}

/**
 * Throw `PLUGIN_ID_INVALID` unless `id` is a valid plugin id. Used wherever an id becomes part of a
 * file path (install, uninstall) so no id can point outside the plugins folder.
 */
export function assertPluginId(id: unknown): asserts id is string {
  if (!isValidPluginId(id)) {
    throw new HostError(
      'PLUGIN_ID_INVALID',
      `Plugin id ${JSON.stringify(id)} is not allowed: use 1-64 characters of a-z, 0-9, '_', '-', '.', starting with a letter or digit.`,
    );
  }
}
