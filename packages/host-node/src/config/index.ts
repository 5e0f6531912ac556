export { findKeyPosition, type TextPosition } from './key-location.js';
export { pointerToKeyPath } from './key-path.js';
export { type ConfigProblem, parsePluginConfig } from './parse-config.js';
export { assertPluginId, isValidPluginId } from './plugin-id.js';
export { CONFIG_FILE_NAME, type LoadedConfig, readPluginConfig } from './read-config.js';
