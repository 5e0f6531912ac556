import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPluginHost } from '../src/host/index.js';
import { compileFixture } from './support/compile.js';
import { nextEvent, recordEvents } from './support/events.js';
import type { FakeContext } from './support/fake-driver.js';
import { fakeHost } from './support/fake-host.js';
import { pluginFolder } from './support/plugin-folders.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pi-clear-'));
  const lib = compileFixture(join(root, 'healthy.so'), 'healthy.c');
  pluginFolder(join(root, 'plugins'), 'healthy', lib, 'abi = "1.0"');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('host.clearHistory', () => {
  for (const isolation of ['in-process', 'isolated'] as const)
    it(`${isolation}: empties the history, tells listeners, and the instance chats on`, async () => {
      await using host = await createPluginHost({ pluginDirs: [join(root, 'plugins')], isolation });
      const events = recordEvents(host);
      await host.load('healthy', { instanceId: 'h' });
      await host.connect('h');
      await host.handleMessage('h', 'one');
      await host.handleMessage('h', 'two');
      expect(host.history('h').messages).toHaveLength(4);

      host.clearHistory('h');

      expect(host.history('h')).toEqual({ messages: [], more: 0, dropped: 0 });
      expect(host.snapshot().instances.find((i) => i.instance_id === 'h')?.history).toEqual([]);
      const cleared = events.events.filter((e) => e.event === 'plugin-history-cleared');
      expect(cleared).toEqual([
        {
          event: 'plugin-history-cleared',
          payload: { plugin_id: 'healthy', instance_id: 'h', timestamp: expect.any(Number) },
        },
      ]);
      expect(events.invalid).toEqual([]);
      expect((await host.handleMessage('h', 'three')).reply).toBe('healthy 3: three');
      expect(host.history('h').messages.map((m) => m.content)).toEqual(['three', 'healthy 3: three']);
    });

  it('keeps the entry of a stream still open, so its later chunks land; ended streams go', async () => {
    await using t = await fakeHost([{ id: 'p' }]);
    await t.host.load('p', { instanceId: 'i' });
    const ctx = t.driver.contexts.get('i') as FakeContext;
    const ended = nextEvent(t.host, 'plugin-stream', (e) => e.payload.type === 'stream_end');
    ctx.emit(
      { kind: 'stream_start', streamId: 'done', title: null },
      { kind: 'stream_data', streamId: 'done', chunk: 'old', seq: 0 },
      { kind: 'stream_end', streamId: 'done', success: true, error: null },
      { kind: 'stream_start', streamId: 'live', title: null },
      { kind: 'stream_data', streamId: 'live', chunk: 'a', seq: 0 },
    );
    await ended;
    await expect.poll(() => t.host.history('i').messages.find((m) => m.id === 'live')?.content).toBe('a');

    t.host.clearHistory('i');
    expect(t.host.history('i').messages.map((m) => m.id)).toEqual(['live']);
    expect(t.host.instance('i').streams.map((s) => s.stream_id)).toEqual(['live']);

    const chunk = nextEvent(t.host, 'plugin-stream', (e) => e.payload.type === 'stream_data');
    ctx.emit({ kind: 'stream_data', streamId: 'live', chunk: 'b', seq: 1 });
    await chunk;
    expect(t.host.history('i').messages).toMatchObject([{ id: 'live', content: 'ab', status: 'active' }]);
  });

  it('a require_history plugin gets only what followed the clear with its next message', async () => {
    await using t = await fakeHost([{ id: 'p', requireHistory: true }]);
    await t.host.load('p', { instanceId: 'i' });
    await t.host.connect('i');
    await t.host.handleMessage('i', 'before');
    t.host.clearHistory('i');
    await t.host.handleMessage('i', 'after');
    const ctx = t.driver.contexts.get('i') as FakeContext;
    const sent = JSON.parse(ctx.history ?? 'null') as { content: string }[];
    expect(sent.map((m) => m.content)).toEqual(['after']);
  });

  it('refuses an unknown instance with PLUGIN_NOT_FOUND and emits nothing', async () => {
    await using t = await fakeHost([{ id: 'p' }]);
    expect(() => t.host.clearHistory('nope')).toThrow(expect.objectContaining({ code: 'PLUGIN_NOT_FOUND' }));
    expect(t.recorded.events.filter((e) => e.event === 'plugin-history-cleared')).toEqual([]);
  });
});
