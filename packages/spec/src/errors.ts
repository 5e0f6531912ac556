/**
 * Stable error codes used by every package. A code never changes meaning; new codes are added at
 * the end. Each package's error class carries one of these.
 */
export const errorCodes = {
  CONFIG_NOT_FOUND: 'The plugin folder has no config.toml.',
  CONFIG_PARSE: 'config.toml is not valid TOML.',
  CONFIG_INVALID: 'config.toml does not match the schema.',
  PLUGIN_ID_INVALID: 'The plugin id is not allowed.',
  PLUGIN_ID_DUPLICATE: 'Two plugin folders declare the same id.',
  PLUGIN_DISABLED: 'The plugin is disabled in config.toml.',
  PLUGIN_NOT_FOUND: 'No plugin or instance with that id.',
  LIBRARY_NOT_FOUND: 'The plugin library file does not exist.',
  LIBRARY_PATH_ESCAPE: 'The library path points outside the plugin folder.',
  CHECKSUM_MISMATCH: 'The library does not match the SHA-256 in config.toml.',
  LIBRARY_LOAD_FAILED: 'The file is not a loadable library for this platform and architecture.',
  ENTRY_SYMBOL_MISSING: 'The library does not export pi_plugin_entry.',
  ENTRY_INVALID: 'pi_plugin_entry returned NULL or a malformed table.',
  ABI_MAJOR_MISMATCH: 'The plugin was built for another ABI major version.',
  ABI_MINOR_TOO_NEW: 'The plugin needs a newer host (ABI minor version).',
  LAYOUT_MISMATCH: "The plugin's struct layouts differ from the host's.",
  CREATE_FAILED: 'The plugin failed to create an instance.',
  LIFECYCLE_ORDER: 'The call is not allowed in the instance state.',
  PLUGIN_CALL_FAILED: 'A plugin entry point returned an error.',
  UNSUPPORTED: 'The plugin does not implement this entry point.',
  TIMEOUT: 'The call did not finish before its deadline.',
  CANCELLED: 'The call was cancelled.',
  PERMISSION_DENIED: 'config.toml does not grant this permission.',
  CALL_DEPTH_EXCEEDED: 'Inter-plugin calls nested too deep or in a cycle.',
  STREAM_STATE: 'The stream transition is not allowed.',
  UI_TREE_INVALID: 'The recorded UI frame breaks the schema or the limits.',
  UI_EVENT_INVALID: 'The UI event does not match a widget of the current frame.',
  PAYLOAD_TOO_LARGE: 'A message or payload is larger than the limit.',
  INVALID_JSON: 'A JSON document is malformed or does not match its schema.',
  INVALID_UTF8: 'A string is not valid UTF-8.',
  SETTINGS_INVALID: 'Plugin settings do not match the declared settings.',
  PLUGIN_CRASHED: 'The plugin process crashed.',
  PLUGIN_DISABLED_AFTER_CRASHES: 'The plugin crashed too often and was disabled.',
  HOST_CLOSED: 'The host is shut down.',
  INSTALL_FAILED: 'Installing the plugin failed; the previous version is untouched.',
  NATIVE_TOOLCHAIN_MISSING: 'No C compiler was found to build native code.',
  NATIVE_RUNTIME_MISMATCH:
    "host-node's native runtime library is missing or was built for another runtime ABI version.",
  BRIDGE_BAD_FRAME: 'A bridge frame is malformed.',
  BRIDGE_UNAUTHORIZED: 'A bridge connection has a wrong token, origin or host.',
  INTERNAL: 'A bug in the host.',
  PLUGIN_START_TIMEOUT: 'The plugin process did not start before its deadline.',
  APP_VERSION_UNSUPPORTED: 'The plugin needs another version of the application.',
  CONFIG_UNKNOWN_KEY: 'config.toml has a key the host does not know (strict mode).',
  EVENT_RATE_EXCEEDED: 'A plugin sent more events per second than the limit; the excess was dropped.',
} as const;

export type ErrorCode = keyof typeof errorCodes;
export const ERROR_CODES = Object.keys(errorCodes) as ErrorCode[];

/** True for a string that is one of the spec's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}
