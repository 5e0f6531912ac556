import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// Only C ships a history example; the Rust row is skipped until rust-history exists.
describe.each(MATRIX.filter((c) => c.lang === 'c'))('history ($name)', (c) => {
  const plugins = usePlugins(c, ['history']);

  it('receives the history before each message, ending with that message', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('history'));
    await t.host.connect(instance_id);
    expect((await t.host.handleMessage(instance_id, 'one')).reply).toBe('history has 1 messages');
    expect((await t.host.handleMessage(instance_id, 'two')).reply).toBe('history has 3 messages');
    expect((await t.host.handleMessage(instance_id, 'three')).reply).toBe('history has 5 messages');
    expect(t.host.instance(instance_id).history).toHaveLength(6);
  });
});
