import { createPluginHost, type PluginHost, type PluginHostOptions } from '../../src/host/index.js';
import { recordEvents } from './events.js';
import { type FakeBehavior, FakeDriver } from './fake-driver.js';
import { type FakePluginSpec, makePluginRoot } from './plugin-folders.js';

/** A host over fake plugins, its driver, its recorded events and a quiet logger. */
export interface FakeHost extends AsyncDisposable {
  readonly host: PluginHost;
  readonly driver: FakeDriver;
  readonly recorded: ReturnType<typeof recordEvents>;
  readonly logs: { level: string; message: string }[];
}

/** Build plugin folders and a host that runs them with the fake driver. */
export async function fakeHost(
  plugins: readonly (FakePluginSpec & { behavior?: FakeBehavior })[],
  options: Partial<PluginHostOptions> = {},
): Promise<FakeHost> {
  const folder = await makePluginRoot(plugins);
  const driver = new FakeDriver(Object.fromEntries(plugins.map((p) => [p.id, p.behavior ?? {}])));
  const logs: { level: string; message: string }[] = [];
  const host = await createPluginHost({
    pluginDirs: [folder.root],
    driver,
    logger: { log: (level, message) => logs.push({ level, message }) },
    ...options,
  });
  const recorded = recordEvents(host);
  return {
    host,
    driver,
    recorded,
    logs,
    async [Symbol.asyncDispose]() {
      await host.close();
      await folder[Symbol.asyncDispose]();
    },
  };
}
