import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// Streaming order, controls and failures are data: packages/spec/conformance/streamer-*.json.
// A lagging events() consumer is host-node API, so it stays here.
describe.each(MATRIX)('streamer ($name)', (c) => {
  const plugins = usePlugins(c, ['streamer']);

  it('holds stream credit while an events() consumer lags and still delivers every chunk', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('streamer'));
    await t.host.connect(instance_id);
    const it = t.host.events({ bufferSize: 10_000 });
    await t.host.handleMessage(instance_id, 'stream 300');
    const chunks: string[] = [];
    for await (const e of it) {
      if (e.event !== 'plugin-stream') continue;
      if (e.payload.type === 'stream_data') chunks.push(e.payload.data.chunk);
      if (e.payload.type === 'stream_end') break;
    }
    expect(chunks).toHaveLength(300);
    expect(it.dropped).toBe(0);
  });
});
