import type { BridgeHost } from '@plugin-interfaces/host-node/bridge';

/** The host as the playground uses it: everything the bridge drives, plus shutdown. */
export interface PlaygroundHost extends BridgeHost {
  close(): Promise<void> | void;
}

/** Options the playground passes to `createPluginHost`. */
export interface OpenHostOptions {
  readonly pluginDirs: readonly string[];
  /** Run each plugin in a child process, when the host supports it. */
  readonly isolated?: boolean;
}

type CreatePluginHost = (options: Record<string, unknown>) => PlaygroundHost | Promise<PlaygroundHost>;

/**
 * Create the plugin host through host-node's documented `createPluginHost({ pluginDirs, ... })`.
 * Imported by name at run time so the playground builds while the host API is still growing.
 */
export async function openHost(options: OpenHostOptions): Promise<PlaygroundHost> {
  const specifier = '@plugin-interfaces/host-node';
  const mod = (await import(specifier)) as Record<string, unknown>;
  const create = mod.createPluginHost as CreatePluginHost | undefined;
  if (typeof create !== 'function')
    throw new Error('@plugin-interfaces/host-node does not export createPluginHost yet.');
  const hostOptions: Record<string, unknown> = { pluginDirs: options.pluginDirs };
  if (options.isolated) hostOptions.isolation = 'isolated';
  return await create(hostOptions);
}
