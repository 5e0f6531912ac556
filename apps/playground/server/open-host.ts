import { createPluginHost, type PluginHost } from '@plugin-interfaces/host-node';

/** Options the playground passes to the plugin host. */
export interface OpenHostOptions {
  readonly pluginDirs: readonly string[];
  /** Run each plugin in a child process, once the host offers it. */
  readonly isolated?: boolean;
  readonly onProgress?: (line: string) => void;
}

/**
 * Create the plugin host over the playground's plugin folders. `isolated` is plumbed through
 * for the host's isolated mode; until the host offers it, plugins run in-process and a warning
 * says so.
 */
export async function openHost(options: OpenHostOptions): Promise<PluginHost> {
  if (options.isolated)
    options.onProgress?.('warning: this host has no isolated mode yet; plugins run in-process');
  return createPluginHost({ pluginDirs: options.pluginDirs });
}
