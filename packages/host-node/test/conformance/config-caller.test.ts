import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

// App config, permissions and calls are data: packages/spec/conformance/config-*.json. The
// host's own logger is host-node API, so that check stays here.
describe.each(MATRIX)('config-caller ($name)', (c) => {
  const plugins = usePlugins(c, ['config-caller']);

  it('logs a refused app config key through the host logger, naming the key', async (ctx) => {
    await using t = await conformanceHost(c, plugins.root(ctx), { theme: 'dark', secret: 'hunter2' });
    const { instance_id } = await t.host.load(plugins.id('config-caller'));
    await t.host.connect(instance_id);
    await expect(t.host.handleMessage(instance_id, 'config secret')).rejects.toMatchObject({
      detail: { status: 'PERMISSION_DENIED' },
    });
    expect(t.logs.some((l) => l.includes('PERMISSION_DENIED') && l.includes('secret'))).toBe(true);
  });
});
