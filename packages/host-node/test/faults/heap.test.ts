import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import { metaFor, recorder } from './support.js';

const heapDriver = pathToFileURL(
  fileURLToPath(new URL('../fixtures/faults/heap-driver.ts', import.meta.url)),
).href;

describe('isolated driver: a child out of JavaScript heap', () => {
  it('is reported as out of JavaScript heap with the cap (cause memory), not only as SIGABRT', async () => {
    const rec = recorder();
    await using driver = new IsolatedDriver({
      driverModule: heapDriver,
      warmSpare: false,
      limits: { maxHeapMb: 32, heartbeatMs: 0 },
      crashPolicy: { maxCrashes: 1000 },
      backoff: { baseMs: 10, maxMs: 10 },
    });
    const lib = await driver.loadLibrary('/nonexistent/heap.so', rec.hooks);
    const inst = await lib.createInstance(metaFor('/nonexistent/heap.so', 'heap'));
    const error = await inst.handleMessage(1, 'oom').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PLUGIN_CRASHED',
      message: /ran out of JavaScript heap \(the cap is 32 MiB/,
    });
    const fault = await rec.fault('crashed', 0);
    expect(fault).toMatchObject({ cause: 'memory', message: expect.stringMatching(/JavaScript heap/) });
  }, 60_000);
});
