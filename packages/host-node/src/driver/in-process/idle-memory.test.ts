import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExamples } from '@plugin-interfaces/sdk-c/build-examples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PiStatus } from '../../pi-status.js';
import { InProcessDriver } from './driver.js';

const root = mkdtempSync(join(tmpdir(), 'pi-idle-'));
let library = '';

beforeAll(async () => {
  await buildExamples({ outDir: root, examples: ['ui-demo'] });
  const dir = join(root, 'ui-demo');
  library = join(dir, readdirSync(dir).find((f) => /\.(so|dylib|dll)$/.test(f))!);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hostMemory = () => {
  const m = process.memoryUsage();
  return m.rss + m.external;
};

describe('idle in-process instances', () => {
  it('hold 1,000 mounted ui-demo instances in under 200 MB of host memory (RSS + external)', async () => {
    const hooks = {
      onEvents: () => undefined,
      getAppConfig: () => ({ status: PiStatus.OK, value: null }),
      callOtherPlugin: () => ({ status: PiStatus.OK, value: null }),
    };
    await using driver = new InProcessDriver();
    const lib = await driver.loadLibrary(library, hooks);
    const before = hostMemory();
    for (let i = 0; i < 1000; i++) {
      const inst = await lib.createInstance({
        id: 'ui-demo',
        name: 'UI demo',
        description: '',
        version: '1.0.0',
        author: null,
        pluginDir: root,
        libraryPath: library,
        configPath: join(root, 'config.toml'),
        instanceId: `idle-${i}`,
        settingsJson: '{}',
        requireHistory: false,
      });
      expect(await inst.lifecycle('on_mount')).toEqual({ ok: true });
      expect((await inst.updateUi([])).ok).toBe(true);
    }
    expect(lib.instances.size).toBe(1000);
    const grown = hostMemory() - before;
    expect(grown).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);
});
