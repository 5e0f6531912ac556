// The public API of @plugin-interfaces/host-node: exactly what the README documents. Everything
// else (the native runtime, the UI recorder, driver instances and libraries, IPC, helpers) is
// internal and may change without notice. Add an export here only together with its README entry.

// Config parsing
export {
  type ConfigProblem,
  type ParsedConfig,
  parseConfigText,
  parsePluginConfig,
} from './config/parse-config.js';
export { assertPluginId, isValidPluginId } from './config/plugin-id.js';
export {
  CONFIG_FILE_NAME,
  type LoadedConfig,
  type ReadConfigOptions,
  readPluginConfig,
} from './config/read-config.js';
// Discovery
export { checkAppVersion } from './discovery/app-version.js';
export { sha256File, verifyLibraryChecksum } from './discovery/checksum.js';
export { type AbiVersion, HOST_ABI } from './discovery/declared-abi.js';
export { discoverPlugins } from './discovery/discover.js';
export { checkPlugin, inspectPlugin } from './discovery/inspect-plugin.js';
export {
  currentPlatform,
  libraryFileName,
  type Platform,
  type PlatformOs,
  platformKey,
} from './discovery/platform.js';
export { toPluginInfo } from './discovery/plugin-info.js';
export type {
  DiscoveredPlugin,
  DiscoveryOptions,
  DiscoveryResult,
  PluginStatus,
  RootScan,
} from './discovery/types.js';
export { verifyLibraries } from './discovery/verify-libraries.js';
// Doctor
export { runDoctor } from './doctor/doctor.js';
export { formatReport } from './doctor/format-report.js';
export type { CheckResult, CheckStatus, DoctorOptions, DoctorReport } from './doctor/types.js';
// Drivers and the driver boundary
export { InProcessDriver, type InProcessDriverOptions } from './driver/in-process/driver.js';
export { type BackoffPolicy, DEFAULT_BACKOFF } from './driver/isolated/backoff.js';
export { type CallTimeouts, ISOLATION_TIMEOUTS } from './driver/isolated/call-timeouts.js';
export { type CrashPolicy, DEFAULT_CRASH_POLICY } from './driver/isolated/crash-window.js';
export {
  IsolatedDriver,
  type IsolatedDriverOptions,
  type IsolatedLibrary,
} from './driver/isolated/isolated-driver.js';
export { ISOLATION_LIMITS, type IsolationLimits } from './driver/isolated/limits.js';
export type * from './driver/types.js';
// Errors
export { type ErrorLocation, HostError, type HostErrorOptions, isHostError, toHostError } from './errors.js';
// The host
export type { HostListener } from './host/events/emitter.js';
export type { EventIteratorOptions, HostEventIterator } from './host/events/event-iterator.js';
export { allowedOps, type InstanceOp, isAllowed } from './host/instance/lifecycle.js';
export type { MessageOptions, MessageResult } from './host/instance/messages.js';
export {
  type AppConfigProvider,
  consoleLogger,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type EntryTimeouts,
  type HostLimits,
  type HostLogger,
  type IsolationMode,
  MemoryAppConfig,
  type PluginHostOptions,
} from './host/options.js';
export { createPluginHost, type LoadOptions, PluginHost } from './host/plugin-host.js';
// Install
export { type InstalledPlugin, type InstallOptions, installPlugin } from './install/install-plugin.js';
export {
  type FetchIndexOptions,
  fetchIndex,
  type IndexEntry,
  type PluginIndex,
  parsePluginIndex,
} from './install/plugin-index.js';
export {
  type UninstalledPlugin,
  type UninstallOptions,
  uninstallPlugin,
} from './install/uninstall-plugin.js';
