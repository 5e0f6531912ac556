import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// What echo does step by step is data: packages/spec/conformance/echo-*.json (scenarios.test.ts).
// Concurrent calls are not a sequence of steps, so they stay here.
describe.each(MATRIX)('echo ($name)', (c) => {
  const plugins = usePlugins(c, ['echo']);

  it('answers messages to two instances sent at the same time, each with its own reply', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    await t.host.load(plugins.id('echo'), { instanceId: 'a' });
    await t.host.load(plugins.id('echo'), { instanceId: 'b' });
    await t.host.connect('a');
    await t.host.connect('b');
    const [ra, rb] = await Promise.all([t.host.handleMessage('a', 'x'), t.host.handleMessage('b', 'y')]);
    expect([ra.reply, rb.reply]).toEqual(['Echo: x', 'Echo: y']);
    expect(t.recorded.invalid).toEqual([]);
  });
});
