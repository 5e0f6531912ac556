export { checkAppVersion } from './app-version.js';
export { expectedChecksum, sha256File, verifyLibraryChecksum } from './checksum.js';
export { type AbiVersion, checkDeclaredAbi, HOST_ABI } from './declared-abi.js';
export { discoverPlugins } from './discover.js';
export { isInside } from './inside.js';
export { checkPlugin, inspectPlugin, readConfigEntry } from './inspect-plugin.js';
export { LIBRARY_SEARCH_DIRS, libraryCandidates, resolveLibrary } from './library-path.js';
export {
  currentPlatform,
  libraryFileName,
  type Platform,
  type PlatformOs,
  platformKey,
  platformKeys,
} from './platform.js';
export { toPluginInfo } from './plugin-info.js';
export type { DiscoveredPlugin, DiscoveryOptions, DiscoveryResult, PluginStatus, RootScan } from './types.js';
export { verifyLibraries } from './verify-libraries.js';
