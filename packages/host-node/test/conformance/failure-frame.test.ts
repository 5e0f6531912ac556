import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// A message that fails settles, like one that succeeds, only after the frame that follows it is
// recorded – in both modes (the isolated driver used to reject before that frame arrived).
describe.each(MATRIX.filter((c) => c.lang === 'c'))('a failed message and its frame ($name)', (c) => {
  const plugins = usePlugins(c, ['echo']);

  it('handleMessage rejects only after the frame drawn for the failure is recorded', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'warm up');
    const before = t.host.instance(instance_id).revision;
    await expect(t.host.handleMessage(instance_id, 'fail')).rejects.toMatchObject({
      code: 'PLUGIN_CALL_FAILED',
    });
    expect(t.host.instance(instance_id).revision).toBe(before + 1);
  });
});
