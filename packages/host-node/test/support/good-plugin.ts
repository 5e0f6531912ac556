import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPluginHost, type HostLogger, type PluginHost } from '../../src/host/index.js';
import { pluginFolder } from './plugin-folders.js';

/**
 * A plugins folder holding the `good` native fixture as plugin `good`, made before the tests of
 * the calling file and removed after them; returns the folder's path (valid once tests run).
 */
export function useGoodPlugin(prefix: string): () => string {
  const fx = inject('nativeFixtures');
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
    pluginFolder(join(root, 'plugins'), 'good', fx.good!);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return () => join(root, 'plugins');
}

/** A host over `pluginsDir` (quiet unless given a logger) with instance `g` of `good` connected. */
export async function connectedGood(
  pluginsDir: string,
  isolation: 'in-process' | 'isolated' = 'in-process',
  logger: HostLogger = { log: () => undefined },
): Promise<PluginHost> {
  const host = await createPluginHost({ pluginDirs: [pluginsDir], isolation, logger });
  await host.load('good', { instanceId: 'g' });
  await host.connect('g');
  return host;
}
