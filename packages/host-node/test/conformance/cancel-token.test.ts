import type { FrontendEventOf } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/events.js';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// Issue 11 item 16: the user's cancel reaches a worker blocked outside the host (here: sleeping
// 60 s between chunks) through the stream's cancel token – PiCancelSet in C (pi_helpers.h),
// Stream::cancel_token in Rust – instead of waiting for its next stream_data.
describe.each(MATRIX)('stream cancel token ($name)', (c) => {
  const plugins = usePlugins(c, ['streamer']);

  it('wakes the worker in the middle of a 60 s pause as soon as the user cancels', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'stream 3 60000');
    const first = await waitFor(() =>
      t.recorded.events.find(
        (e): e is FrontendEventOf<'plugin-stream'> =>
          e.event === 'plugin-stream' && e.payload.type === 'stream_data',
      ),
    );
    const streamId = first.payload.data.stream_id;
    await t.host.controlStream(instance_id, streamId, 'cancel');
    const stopped = await waitFor(
      () =>
        t.recorded.events.find(
          (e) =>
            e.event === 'plugin-log' && e.payload.message.includes("worker stopped by the user's cancel"),
        ),
      5000,
    );
    expect(stopped).toBeDefined();
    const chunks = t.recorded.events.filter(
      (e) => e.event === 'plugin-stream' && e.payload.type === 'stream_data',
    );
    expect(chunks).toHaveLength(1);
    expect(t.host.instance(instance_id).streams[0]?.state).toBe('cancelled');
  });
});
