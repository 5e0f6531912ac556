import type { DriverHooks, InstanceMetadata, PluginEvent, RequestAnswer } from '../../src/driver/types.js';
import { PiStatus } from '../../src/pi-status.js';

/** Hooks that record every event and answer requests from a table. */
export function recordingHooks(answers: Partial<Pick<DriverHooks, 'getAppConfig' | 'callOtherPlugin'>> = {}) {
  const events: PluginEvent[] = [];
  const waiters: Array<() => void> = [];
  const hooks: DriverHooks = {
    onEvents: (_id, batch) => {
      events.push(...batch);
      for (const w of waiters.splice(0)) w();
    },
    getAppConfig:
      answers.getAppConfig ??
      ((_i, key): RequestAnswer => ({ status: PiStatus.OK, value: `value-of-${key}` })),
    callOtherPlugin:
      answers.callOtherPlugin ??
      ((_i, target, msg): RequestAnswer => ({ status: PiStatus.OK, value: `${target} got ${msg}` })),
  };
  /** Resolve once `pred` holds for the recorded events (checked after every batch). */
  const until = (pred: (e: PluginEvent[]) => boolean, ms = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; ${events.length} events`)), ms);
      const check = () => {
        if (pred(events)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { hooks, events, until };
}

let n = 0;
/** Metadata for a test instance with a unique id. */
export function meta(path: string, id = 'demo'): InstanceMetadata {
  n++;
  return {
    id,
    name: 'Demo',
    description: 'A test plugin',
    version: '1.0.0',
    author: null,
    pluginDir: '/tmp',
    libraryPath: path,
    configPath: '/tmp/config.toml',
    instanceId: `${id}-${n}`,
    settingsJson: '{}',
    requireHistory: false,
  };
}
