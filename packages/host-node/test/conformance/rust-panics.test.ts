import { describe, expect, it } from 'vitest';
import { conformanceHost, texts } from './harness.js';
import { LANGUAGES, MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

const rust = MATRIX.filter((c) => c.lang === 'rust');
const c = LANGUAGES.find((l) => l.lang === 'c')!;

/** Entry points whose panic the SDK must turn into an error the host reports. */
const LIFECYCLE_PANICS = ['on_mount', 'on_connect'] as const;

describe.each(rust)('a Rust plugin that panics ($name)', (r) => {
  const panicky = usePlugins(r, ['panicky']);
  const echo = usePlugins({ ...r, ...c, name: `${r.name} (C echo)` } as typeof r, ['echo']);

  it('turns a panic in handle_message into PLUGIN_CALL_FAILED and keeps serving', async (ctx) => {
    await using t = await conformanceHost(r, [panicky.root(ctx), echo.root(ctx)]);
    const { instance_id } = await t.host.load('rust-panicky');
    await t.host.connect(instance_id);
    const err = await t.host.handleMessage(instance_id, 'panic-in handle_message').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_CALL_FAILED' });
    expect((err as Error).message).toContain('rust-panicky panics in handle_message as asked');
    expect((err as { detail?: { status?: string } }).detail?.status).toBe('INTERNAL');
    // The same instance still answers, and so does another plugin.
    expect((await t.host.handleMessage(instance_id, 'still there?')).reply).toBe('panicky: still there?');
    const other = await t.host.load('echo');
    await t.host.connect(other.instance_id);
    expect((await t.host.handleMessage(other.instance_id, 'hi')).reply).toBe('Echo: hi');
  });

  it('fails the load with CREATE_FAILED when create panics', async (ctx) => {
    await using t = await conformanceHost(r, panicky.root(ctx));
    const err = await t.host
      .load('rust-panicky', { settings: { panic_in: 'create' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CREATE_FAILED' });
    expect((err as Error).message).toContain('rust-panicky panics in create as configured');
    const ok = await t.host.load('rust-panicky');
    expect(texts(ok.tree)).toEqual(['Panics in: nothing']);
  });

  it('keeps a mounted instance whose first frame panicked, with the error on it and in its log', async (ctx) => {
    await using t = await conformanceHost(r, panicky.root(ctx));
    const inst = await t.host.load('rust-panicky', { settings: { panic_in: 'update_ui' } });
    expect(inst.tree).toEqual([]);
    expect(inst.error).toMatchObject({ code: 'PLUGIN_CALL_FAILED' });
    expect(inst.error?.message).toContain('rust-panicky panics in update_ui as configured');
    const log = t.recorded.events.find((e) => e.event === 'plugin-log');
    expect(log?.payload).toMatchObject({ level: 'error', instance_id: inst.instance_id });
    await t.host.connect(inst.instance_id);
    expect((await t.host.handleMessage(inst.instance_id, 'ok')).reply).toBe('panicky: ok');
  });

  for (const entry of LIFECYCLE_PANICS) {
    it(`reports a panic in ${entry} as a typed error`, async (ctx) => {
      await using t = await conformanceHost(r, panicky.root(ctx));
      const outcome = await (async () => {
        const inst = await t.host.load('rust-panicky', { settings: { panic_in: entry } });
        await t.host.connect(inst.instance_id);
        return inst;
      })().catch((e: unknown) => e);
      expect(outcome).toMatchObject({
        code: expect.stringMatching(/^(PLUGIN_CALL_FAILED|CREATE_FAILED|UI_TREE_INVALID)$/),
      });
      expect((outcome as Error).message).toContain(`rust-panicky panics in ${entry} as configured`);
      // The host is intact: a healthy instance of the same library loads and answers.
      const healthy = await t.host.load('rust-panicky');
      await t.host.connect(healthy.instance_id);
      expect((await t.host.handleMessage(healthy.instance_id, 'ok')).reply).toBe('panicky: ok');
    });
  }
});
