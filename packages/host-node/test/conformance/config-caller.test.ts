import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlugins } from './build-plugins.js';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

describe.each(MATRIX)('config-caller ($name)', (c) => {
  const plugins = usePlugins(c, ['config-caller', 'echo']);
  // Both config-callers permit calls to "echo" (the C example): the Rust one calls across languages.
  let cEcho = '';
  beforeAll(async () => {
    cEcho = (await buildPlugins({ lang: 'c', prefix: '' }, ['echo'])).root ?? '';
  }, 600_000);

  async function loaded(root: string) {
    const t = await conformanceHost(c, root, { theme: 'dark', 'user.name': 'Ada', secret: 'hunter2' });
    const { instance_id } = await t.host.load(plugins.id('config-caller'));
    await t.host.connect(instance_id);
    return { t, id: instance_id };
  }

  it('reads a permitted app config key as JSON', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    expect((await t.host.handleMessage(id, 'config theme')).reply).toBe(JSON.stringify('dark'));
    expect((await t.host.handleMessage(id, 'config user.name')).reply).toBe(JSON.stringify('Ada'));
  });

  it('is refused a key its [permissions] do not list', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    const err = await t.host.handleMessage(id, 'config secret').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_CALL_FAILED', detail: { status: 'PERMISSION_DENIED' } });
    expect(t.logs.some((l) => l.includes('PERMISSION_DENIED') && l.includes('secret'))).toBe(true);
    expect(
      t.recorded.events.some((e) => e.event === 'plugin-log' && e.payload.message.includes('secret')),
    ).toBe(true);
  });

  it('calls echo through the host and answers with its reply', async (ctx) => {
    const root = plugins.root(ctx);
    await using t = await conformanceHost(c, c.lang === 'c' ? root : [root, cEcho], { theme: 'dark' });
    const { instance_id: id } = await t.host.load(plugins.id('config-caller'));
    await t.host.connect(id);
    const echo = await t.host.load('echo');
    await t.host.connect(echo.instance_id);
    expect((await t.host.handleMessage(id, 'call echo hi')).reply).toBe('echo said: Echo: hi');
    expect(t.host.instance(echo.instance_id).history.map((h) => [h.role, h.content])).toEqual([
      ['system', 'hi'],
      ['plugin', 'Echo: hi'],
    ]);
  });

  it('fails a call to a plugin that is not loaded', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    await expect(t.host.handleMessage(id, 'call echo hi')).rejects.toMatchObject({
      code: 'PLUGIN_CALL_FAILED',
      detail: { status: 'NOT_FOUND' },
    });
  });

  it.runIf(c.lang === 'rust')('is refused a call to a plugin its [permissions] do not list', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    const echo = await t.host.load(plugins.id('echo'));
    await t.host.connect(echo.instance_id);
    await expect(t.host.handleMessage(id, `call ${plugins.id('echo')} hi`)).rejects.toMatchObject({
      detail: { status: 'PERMISSION_DENIED' },
    });
  });
});
