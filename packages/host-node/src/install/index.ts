export {
  type Downloaded,
  type DownloadOptions,
  type DownloadProgress,
  download,
} from './download.js';
export { withFolderLock } from './folder-lock.js';
export { type InstalledPlugin, type InstallOptions, installPlugin } from './install-plugin.js';
export {
  type FetchIndexOptions,
  fetchIndex,
  type IndexEntry,
  type PluginIndex,
  parsePluginIndex,
} from './plugin-index.js';
export { removeStaleInstallFolders } from './stale-folders.js';
export { retiredName, swapIntoPlace } from './swap-folder.js';
export {
  assertAllowedUrl,
  isLoopbackHost,
  redirectTarget,
  type TransportPolicy,
} from './transport-policy.js';
export { type UninstalledPlugin, type UninstallOptions, uninstallPlugin } from './uninstall-plugin.js';
export { compareVersions, isUpgrade } from './version.js';
