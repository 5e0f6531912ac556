import { describe, expect, it } from 'vitest';
import { nextEvent } from '../support/events.js';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// A message that fails is followed by a frame, like one that succeeds, in both modes.
describe.each(MATRIX.filter((c) => c.lang === 'c'))('a failed message and its frame ($name)', (c) => {
  const plugins = usePlugins(c, ['echo']);

  it('a frame follows a failed handleMessage', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx));
    const { instance_id } = await t.host.load(plugins.id('echo'));
    await t.host.connect(instance_id);
    await t.host.handleMessage(instance_id, 'warm up');
    await t.host.refresh(instance_id);
    const before = t.host.instance(instance_id).revision;
    const frame = nextEvent(t.host, 'plugin-ui-updated');
    await expect(t.host.handleMessage(instance_id, 'fail')).rejects.toMatchObject({
      code: 'PLUGIN_CALL_FAILED',
    });
    expect((await frame).payload.revision).toBe(before + 1);
  });
});
