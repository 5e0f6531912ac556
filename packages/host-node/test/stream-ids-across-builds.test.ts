import { describe, expect, it } from 'vitest';
import { PiStatus } from '../src/pi-status.js';
import { nextEvent } from './support/events.js';
import { connectedGood, useGoodPlugin } from './support/good-plugin.js';

// The native runtime numbers an instance's streams from 1 again in a new build (reload) or a new
// plugin process (restart), while the history keeps the earlier streams under their ids: a new
// stream must not take over an old one's id, entry or record.
const pluginsDir = useGoodPlugin('pi-stream-ids-');

describe('stream ids across builds', () => {
  for (const isolation of ['in-process', 'isolated'] as const)
    it(`${isolation}: a stream started after a reload gets its own id; its chunks and end land on it`, async () => {
      await using host = await connectedGood(pluginsDir(), isolation);
      expect((await host.handleMessage('g', 'sopen')).reply).toBe('0 1');
      await host.handleMessage('g', 'sdata:1');
      await host.handleMessage('g', 'send:1');
      await host.reload('good');

      const started = nextEvent(host, 'plugin-stream', (e) => e.payload.type === 'stream_start');
      expect((await host.handleMessage('g', 'sopen')).reply).toBe('0 1'); // handle 1 again
      const newId = (await started).payload.data.stream_id;
      expect(newId).not.toBe('g/s1');
      host.clearHistory('g'); // the old stream's entry goes; the open one stays
      const ended = nextEvent(host, 'plugin-stream', (e) => e.payload.type === 'stream_end');
      expect((await host.handleMessage('g', 'sdata:1')).reply).toBe('0');
      expect((await host.handleMessage('g', 'send:1')).reply).toBe('0');
      expect((await ended).payload.data.stream_id).toBe(newId);
      const streams = host.history('g').messages.filter((m) => m.type === 'streaming');
      expect(streams).toEqual([expect.objectContaining({ id: newId, status: 'completed', content: 'x' })]);
      expect(host.instance('g').streams.map((s) => [s.stream_id, s.state])).toEqual([[newId, 'completed']]);
    });

  it("in-process: a user control of such a stream reaches the plugin under the driver's id", async () => {
    await using host = await connectedGood(pluginsDir());
    await host.handleMessage('g', 'sopen');
    await host.handleMessage('g', 'send:1');
    await host.reload('good');
    const started = nextEvent(host, 'plugin-stream', (e) => e.payload.type === 'stream_start');
    await host.handleMessage('g', 'sopen');
    const newId = (await started).payload.data.stream_id;
    await host.controlStream('g', newId, 'cancel');
    // The plugin's runtime saw the cancel: its next chunk is refused as cancelled.
    expect(Number((await host.handleMessage('g', 'sdata:1')).reply)).toBe(PiStatus.CANCELLED);
    expect(host.instance('g').streams.find((s) => s.stream_id === newId)?.state).toBe('cancelled');
    expect(host.instance('g').streams.find((s) => s.stream_id === 'g/s1')?.state).toBe('completed');
  });
});
