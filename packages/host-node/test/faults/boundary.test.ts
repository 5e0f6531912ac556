import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IsolatedDriver } from '../../src/driver/isolated/index.js';
import type { DriverInstance, PluginEvent, RequestAnswer } from '../../src/driver/types.js';
import { PiStatus } from '../../src/pi-status.js';
import { metaFor, type Recorder, recorder } from './support.js';

/**
 * Everything the in-process driver offers also works across the process boundary: app config
 * (on the calling thread through the synchronous pipe, and from plugin threads), inter-plugin
 * calls, pending replies, UI events and stream credit granted by the host.
 */
describe('isolated driver: host services across the process boundary', () => {
  const good = inject('nativeFixtures').good as string;
  let driver: IsolatedDriver;
  let rec: Recorder;
  let inst: DriverInstance;

  beforeAll(async () => {
    rec = recorder({
      getAppConfig: (_i, key): RequestAnswer =>
        key === 'secret'
          ? { status: PiStatus.PERMISSION_DENIED, value: null }
          : { status: PiStatus.OK, value: `value-of-${key}` },
      callOtherPlugin: async (_i, target, msg): Promise<RequestAnswer> => {
        await new Promise((r) => setImmediate(r));
        return { status: PiStatus.OK, value: `${target} got ${msg}` };
      },
    });
    driver = new IsolatedDriver({ creditWindow: 64 });
    const lib = await driver.loadLibrary(good, rec.hooks);
    inst = await lib.createInstance(metaFor(good, 'demo'));
  });
  afterAll(() => driver.close());

  const ofInst = (): PluginEvent[] =>
    rec.events.filter((e) => e.instanceId === inst.instanceId).map((e) => e.event);

  it('get_app_config inside a call is answered synchronously by the parent, denials included', async () => {
    expect(await inst.handleMessage(1, 'config:theme')).toMatchObject({
      ok: true,
      reply: '0 value-of-theme',
    });
    expect(await inst.handleMessage(2, 'config:secret')).toMatchObject({ ok: true, reply: '-5 (null)' });
  });

  it('get_app_config and an asynchronous call_other_plugin from plugin threads are answered', async () => {
    await inst.handleMessage(3, 'config-thread:lang');
    await rec.until('the config message', () =>
      rec.messages(inst.instanceId).includes('config 0 value-of-lang'),
    );
    await inst.handleMessage(4, 'call-thread:other');
    await rec.until('the call message', () =>
      rec.messages(inst.instanceId).includes('call 0 other got ping'),
    );
  });

  it('a PENDING handle_message is answered later by a reply event', async () => {
    expect(await inst.handleMessage(5, 'pending')).toEqual({ ok: true, pending: true });
    await rec.until('the reply', () =>
      ofInst().some((e) => e.kind === 'reply' && e.requestId === 5 && e.content === 'later'),
    );
  });

  it('a click in the UI tree comes back as the button return value of the next frame', async () => {
    const first = await inst.updateUi([]);
    const button = first.ok
      ? first.tree.find((n) => n.type === 'button' && n.text === 'Send greeting')
      : undefined;
    expect(button).toBeDefined();
    await inst.updateUi([{ widget_id: button?.id ?? '', kind: 'click' }]);
    await rec.until('the greeting', () => rec.messages(inst.instanceId).includes('greeting sent'));
  });

  it('stream credit is end to end: chunks stop at the window until the host grants credit', async () => {
    await inst.handleMessage(6, 'stream:300');
    const data = () =>
      ofInst().filter((e): e is Extract<PluginEvent, { kind: 'stream_data' }> => e.kind === 'stream_data');
    await rec.until('a full window', () => data().length >= 64);
    await new Promise((r) => setTimeout(r, 100));
    expect(data()).toHaveLength(64);
    const streamId = data()[0]?.streamId ?? '';
    let granted = 64;
    while (!ofInst().some((e) => e.kind === 'stream_end')) {
      const taken = data().length;
      if (taken >= granted) {
        inst.grantCredit(streamId, 64);
        granted += 64;
      }
      await rec.until(
        'more chunks or the end',
        () => data().length > taken || ofInst().some((e) => e.kind === 'stream_end'),
      );
    }
    expect(data().map((e) => e.seq)).toEqual([...Array(300).keys()]);
    const joined = await inst.handleMessage(7, 'join');
    expect(joined.ok && !joined.pending ? joined.reply : '').toMatch(/^bp=[1-9]\d* /);
  });
});

describe('isolated driver: the parent side of host requests', () => {
  const good = inject('nativeFixtures').good as string;

  it('events a call caused are delivered before its answer', async () => {
    const rec = recorder();
    await using d = new IsolatedDriver({ warmSpare: false });
    const lib = await d.loadLibrary(good, rec.hooks);
    const inst = await lib.createInstance(metaFor(good, 'demo'));
    for (let i = 0; i < 20; i++) {
      await inst.lifecycle('on_connect');
      // No waiting: the message on_connect sent is already recorded when the call resolves.
      expect(rec.messages(inst.instanceId)).toHaveLength(i + 1);
    }
    await inst.destroy();
  });

  it('a throwing getAppConfig or an oversized value is answered with a status, never left blocking the child', async () => {
    const rec = recorder({
      getAppConfig: (_i, key): RequestAnswer => {
        if (key === 'big') return { status: PiStatus.OK, value: 'v'.repeat(2 * 1024 * 1024) };
        throw new Error('provider exploded');
      },
    });
    await using d = new IsolatedDriver({ warmSpare: false });
    const lib = await d.loadLibrary(good, rec.hooks);
    const inst = await lib.createInstance(metaFor(good, 'demo'));
    expect(await inst.handleMessage(1, 'config:boom')).toMatchObject({ ok: true, reply: '-11 (null)' });
    expect(await inst.handleMessage(2, 'config:big')).toMatchObject({ ok: true, reply: '-9 (null)' });
    await inst.destroy();
  });
});
