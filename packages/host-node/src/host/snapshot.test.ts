import { BRIDGE_MAX_FRAME, LIMITS, validators } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../test/support/fake-driver.js';
import { fakeHost } from '../../test/support/fake-host.js';
import { MemoryAppConfig } from './options.js';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
/** The bridge's hello frame around a snapshot. */
const helloBytes = (snapshot: unknown) => bytes({ type: 'hello', protocol: 1, snapshot });

describe('snapshot and instance views stay under the frame cap', () => {
  it('keeps an app-config key named __proto__ as an ordinary key of the snapshot', async () => {
    const appConfig = new MemoryAppConfig();
    appConfig.set('__proto__', { polluted: true });
    appConfig.set('theme', 'dark');
    await using t = await fakeHost([{ id: 'p' }], { appConfig });
    const snap = t.host.snapshot();
    expect(Object.keys(snap.app_config).sort()).toEqual(['__proto__', 'theme']);
    const wire = JSON.parse(JSON.stringify(snap)) as { app_config: object };
    expect(Object.getOwnPropertyDescriptor(wire.app_config, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('takes its history and stream limits from the spec unless configured', async () => {
    expect(LIMITS.maxSnapshotBytes).toBeLessThan(BRIDGE_MAX_FRAME);
    await expect(fakeHost([{ id: 'p' }], { limits: { maxHistoryEntries: 0 } })).rejects.toMatchObject({
      code: 'INVALID_JSON',
    });
  });

  it('cuts a long history to its newest entries with a marker, and history() pages the rest', async () => {
    await using t = await fakeHost([{ id: 'p' }], { limits: { maxHistoryEntries: 100_000 } });
    const { instance_id } = await t.host.load('p');
    await t.host.connect(instance_id);
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 1500; i++) await t.host.handleMessage(instance_id, `${i} ${line}`);
    const snapshot = t.host.snapshot();
    expect(validators.bridgeServerFrame.check({ type: 'hello', protocol: 1, snapshot })).toBe(true);
    expect(helloBytes(snapshot)).toBeLessThanOrEqual(BRIDGE_MAX_FRAME);
    const [info] = snapshot.instances;
    expect(info?.truncated?.history).toBeGreaterThan(0);
    expect(info?.history.at(-1)?.content).toBe(`1499 ${line}`);
    // Page backwards from the oldest entry the snapshot shows until nothing is left.
    let before = info?.history[0]?.id;
    let seen = info?.history.length ?? 0;
    for (;;) {
      const page = t.host.history(instance_id, { before, limit: 500 });
      expect(bytes(page)).toBeLessThanOrEqual(LIMITS.maxSnapshotBytes);
      seen += page.messages.length;
      if (page.more === 0) break;
      before = page.messages[0]?.id;
    }
    expect(seen).toBe(3000); // 1500 messages and 1500 replies
  });

  it('keeps a 4 MiB stream to its last maxStreamBytes and the snapshot under the cap', async () => {
    await using t = await fakeHost([{ id: 'p' }]);
    const { instance_id } = await t.host.load('p');
    const ctx = t.driver.contexts.get(instance_id) as FakeContext;
    const chunk = 'y'.repeat(64 * 1024);
    ctx.emit(
      { kind: 'stream_start', streamId: 's', title: null },
      ...Array.from({ length: 64 }, (_, seq) => ({
        kind: 'stream_data' as const,
        streamId: 's',
        chunk,
        seq,
      })),
    );
    await expect.poll(() => t.host.instance(instance_id).streams[0]?.dropped_bytes).toBeGreaterThan(0);
    const info = t.host.instance(instance_id);
    expect(bytes(info)).toBeLessThanOrEqual(LIMITS.maxSnapshotBytes);
    const stream = info.streams[0];
    expect(Buffer.byteLength(stream?.content ?? '') + (stream?.dropped_bytes ?? 0)).toBe(64 * chunk.length);
    expect(helloBytes(t.host.snapshot())).toBeLessThanOrEqual(BRIDGE_MAX_FRAME);
  });

  it('leaves out a tree too large for the view, with a marker', async () => {
    const labels = Array.from({ length: 200 }, (_, i) => ({
      id: `l${i}`,
      type: 'label' as const,
      text: 'z'.repeat(100),
    }));
    await using t = await fakeHost([{ id: 'p', behavior: { ui: () => labels } }], {
      limits: { maxSnapshotBytes: 8 * 1024 },
    });
    const { instance_id } = await t.host.load('p');
    const info = t.host.instance(instance_id);
    expect(info.tree).toEqual([]);
    expect(info.truncated?.tree).toBe(true);
    expect(bytes(info)).toBeLessThanOrEqual(8 * 1024);
  });

  it('leaves out instances with a marker when there are too many to fit', async () => {
    await using t = await fakeHost([{ id: 'p' }], { limits: { maxSnapshotBytes: 4 * 1024 } });
    for (let i = 0; i < 40; i++) await t.host.load('p', { instanceId: `i${i}` });
    const snapshot = t.host.snapshot();
    expect(bytes(snapshot)).toBeLessThanOrEqual(4 * 1024);
    expect(snapshot.truncated?.instances ?? 0).toBeGreaterThan(0);
    expect(snapshot.instances.length + (snapshot.truncated?.instances ?? 0)).toBe(40);
  });
  it('keeps the views reload() returns for several instances within the snapshot size together', async () => {
    await using t = await fakeHost([{ id: 'p' }], { limits: { maxSnapshotBytes: 64 * 1024 } });
    for (const id of ['a', 'b', 'c']) {
      await t.host.load('p', { instanceId: id });
      await t.host.connect(id);
      for (let i = 0; i < 40; i++) await t.host.handleMessage(id, `${i} ${'z'.repeat(1000)}`);
    }
    const infos = await t.host.reload('p');
    expect(infos.map((i) => i.instance_id)).toEqual(['a', 'b', 'c']);
    expect(bytes(infos)).toBeLessThanOrEqual(64 * 1024);
    expect(infos.every((i) => (i.truncated?.history ?? 0) > 0)).toBe(true);
  });
});

describe('loading instances', () => {
  it('show as loading in snapshot() and instance() instead of throwing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    await using t = await fakeHost([{ id: 'slow' }]);
    const original = t.driver.loadLibrary.bind(t.driver);
    t.driver.loadLibrary = async (path, hooks) => {
      await gate;
      return original(path, hooks);
    };
    const loading = t.host.load('slow', { instanceId: 'a' });
    await expect.poll(() => t.host.snapshot().instances.length).toBe(1);
    expect(t.host.snapshot().instances).toEqual([
      expect.objectContaining({ instance_id: 'a', state: 'loading' }),
    ]);
    expect(t.host.instance('a').state).toBe('loading');
    expect(
      validators.bridgeServerFrame.check({ type: 'hello', protocol: 1, snapshot: t.host.snapshot() }),
    ).toBe(true);
    await expect(t.host.connect('a')).rejects.toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
      message: /still loading/,
    });
    release();
    await loading;
    expect(t.host.instance('a').state).toBe('mounted');
  });

  it('show as loading while the driver creates them; events sent meanwhile are applied once they exist', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const creating = new Promise<void>((r) => {
      entered = r;
    });
    await using t = await fakeHost([{ id: 'slow' }]);
    const original = t.driver.loadLibrary.bind(t.driver);
    t.driver.loadLibrary = async (path, hooks) => {
      const lib = await original(path, hooks);
      return {
        info: lib.info,
        close: () => lib.close(),
        createInstance: async (meta, options) => {
          hooks.onEvents(meta.instanceId, [{ kind: 'message', messageType: 'info', content: 'from create' }]);
          entered();
          await gate;
          return lib.createInstance(meta, options);
        },
      };
    };
    const loading = t.host.load('slow', { instanceId: 'a' });
    await creating;
    expect(t.host.snapshot().instances).toEqual([
      expect.objectContaining({ instance_id: 'a', state: 'loading' }),
    ]);
    expect(t.host.instance('a').state).toBe('loading');
    expect(t.recorded.events).toEqual([]);
    release();
    await loading;
    const info = t.host.instance('a');
    expect(info.state).toBe('mounted');
    expect(info.history.map((m) => m.content)).toEqual(['from create']);
    const names = t.recorded.events.map((e) =>
      e.event === 'plugin-status' ? `status:${e.payload.state}` : e.event,
    );
    expect(names.slice(0, 3)).toEqual(['plugin-message', 'status:created', 'status:mounted']);
  });
});
