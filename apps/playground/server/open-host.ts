import { type AppConfigProvider, createPluginHost, type PluginHost } from '@plugin-interfaces/host-node';

/** Options the playground passes to the plugin host. */
export interface OpenHostOptions {
  readonly pluginDirs: readonly string[];
  /** Run each plugin library in a child process of its own (default true). */
  readonly isolated?: boolean;
  /** Where plugins read and the page writes the app config. */
  readonly appConfig?: AppConfigProvider;
  readonly onProgress?: (line: string) => void;
}

/**
 * Create the plugin host over the playground's plugin folders, isolated unless asked otherwise:
 * a plugin that segfaults, aborts or hangs then shows up as crashed (and is restarted) instead
 * of taking the playground down. The mode is printed once.
 */
export async function openHost(options: OpenHostOptions): Promise<PluginHost> {
  const isolation = (options.isolated ?? true) ? 'isolated' : 'in-process';
  options.onProgress?.(
    isolation === 'isolated'
      ? 'plugin mode: isolated (one child process per plugin; --in-process to run them in this process)'
      : 'plugin mode: in-process (a crashing plugin takes the playground down; drop --in-process to isolate)',
  );
  return createPluginHost({
    pluginDirs: options.pluginDirs,
    isolation,
    ...(options.appConfig === undefined ? {} : { appConfig: options.appConfig }),
  });
}
