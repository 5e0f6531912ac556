import { describe, expect, it } from 'vitest';
import { conformanceHost } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

const rust = MATRIX.filter((c) => c.lang === 'rust');

/** Entry points whose panic the SDK must turn into an error the host reports. */
const LIFECYCLE_PANICS = ['on_mount', 'on_connect'] as const;

// Panics in handle_message and create are data: packages/spec/conformance/panicky-*.json.
describe.each(rust)('a Rust plugin that panics ($name)', (r) => {
  const panicky = usePlugins(r, ['panicky']);

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
