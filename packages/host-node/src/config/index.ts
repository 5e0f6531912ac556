export { didYouMean, editDistance } from './did-you-mean.js';
export { findKeyPosition, type TextPosition } from './key-location.js';
export { pointerToKeyPath } from './key-path.js';
export { type ConfigProblem, type ParsedConfig, parseConfigText, parsePluginConfig } from './parse-config.js';
export { assertPluginId, isValidPluginId } from './plugin-id.js';
export {
  CONFIG_FILE_NAME,
  type LoadedConfig,
  type ReadConfigOptions,
  readPluginConfig,
} from './read-config.js';
export { findUnknownKeys, type UnknownKey } from './unknown-keys.js';
export { deliverUserTable } from './user-table.js';
export { findInvalidUtf8, type Utf8Fault } from './utf8-check.js';
