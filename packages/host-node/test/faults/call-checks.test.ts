import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { DriverInstance, RequestAnswer } from '../../src/driver/types.js';
import { DeferredAnswer } from '../../src/host/services/deferred-answer.js';
import { PiStatus } from '../../src/pi-status.js';
import { metaFor, recorder } from './support.js';

const callerDriver = pathToFileURL(
  fileURLToPath(new URL('../fixtures/faults/caller-driver.ts', import.meta.url)),
).href;

/**
 * The host's side, as `host-services.ts` answers: a refusal at once, an allowed call as a
 * DeferredAnswer that is delivered (counted in `delivered`) only when someone waits for it.
 */
const delivered: string[] = [];
function callOtherPlugin(
  _caller: string,
  target: string,
  message: string,
): RequestAnswer | Promise<RequestAnswer> {
  if (target === 'denied') return { status: PiStatus.PERMISSION_DENIED, value: null };
  return new DeferredAnswer(async () => {
    delivered.push(`${target}:${message}`);
    return { status: PiStatus.OK, value: `${target} got ${message}` };
  });
}

describe('isolated driver: call_other_plugin is checked before anything is delivered', () => {
  let driver: IsolatedDriver;
  let inst: DriverInstance;
  beforeAll(async () => {
    driver = new IsolatedDriver({ driverModule: callerDriver, warmSpare: false });
    const lib = await driver.loadLibrary('/nonexistent/caller.so', recorder({ callOtherPlugin }).hooks);
    inst = await lib.createInstance(metaFor('/nonexistent/caller.so', 'caller'));
  });
  afterAll(() => driver.close());

  it('a refused call made on the child JS thread gets the true status (PERMISSION_DENIED) at once', async () => {
    expect(await inst.handleMessage(1, 'sync denied')).toMatchObject({ reply: 'answered -5' });
    expect(delivered).toEqual([]);
  });

  it('an allowed call made on the child JS thread, which cannot wait, never reaches the target', async () => {
    expect(await inst.handleMessage(2, 'sync target')).toMatchObject({ reply: 'would wait: INVALID_STATE' });
    // A round trip through the child and back: what the first call set in motion has run by then.
    expect(await inst.handleMessage(9, 'sync denied')).toMatchObject({ reply: 'answered -5' });
    expect(delivered).toEqual([]);
  });

  it('an allowed call whose caller waits is delivered once and answered', async () => {
    expect(await inst.handleMessage(3, 'async target')).toMatchObject({ reply: 'answered 0 target got hi' });
    expect(delivered).toEqual(['target:hi']);
  });

  it('a refused call from a caller that waits gets the same status, and nothing is delivered', async () => {
    expect(await inst.handleMessage(4, 'async denied')).toMatchObject({ reply: 'answered -5 ' });
    expect(delivered).toEqual(['target:hi']);
  });
});
