import type { UiTree } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { nextEvent } from '../../../test/support/events.js';
import { fail } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';
import { HostError } from '../../errors.js';

describe('frames', () => {
  it('a refused frame (past the widget limit) reaches instance.error, plugin-log and plugin-status', async () => {
    let refuse = false;
    const ok: UiTree = [{ id: 'l', type: 'label', text: 'fine' }];
    await using t = await fakeHost([
      {
        id: 'ui',
        behavior: {
          ui: () => {
            if (refuse)
              throw new HostError('UI_TREE_INVALID', 'The frame has 5001 widgets; the limit is 5000.');
            return ok;
          },
        },
      },
    ]);
    const { instance_id } = await t.host.load('ui');
    refuse = true;
    await expect(t.host.refresh(instance_id)).rejects.toMatchObject({ code: 'UI_TREE_INVALID' });
    const info = t.host.instance(instance_id);
    expect(info.error).toMatchObject({ code: 'UI_TREE_INVALID', message: /5001 widgets/ });
    expect(info.tree).toEqual(ok);
    const logs = t.recorded.events.filter((e) => e.event === 'plugin-log');
    expect(logs.at(-1)?.payload).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/5001 widgets/),
    });
    const status = t.recorded.events.filter((e) => e.event === 'plugin-status').at(-1);
    expect(status?.payload).toMatchObject({ state: 'mounted', error: { code: 'UI_TREE_INVALID' } });
    // The next good frame clears the error, and says so.
    refuse = false;
    await t.host.refresh(instance_id);
    expect(t.host.instance(instance_id).error).toBeUndefined();
    const cleared = t.recorded.events.filter((e) => e.event === 'plugin-status').at(-1);
    expect(cleared?.payload).not.toHaveProperty('error');
    expect(t.recorded.invalid).toEqual([]);
  });

  it('handleMessage resolves with the reply; one frame follows a run of messages', async () => {
    let frames = 0;
    await using t = await fakeHost([
      { id: 'ui', behavior: { ui: () => [{ id: 'n', type: 'label', text: String(frames++) }] } },
    ]);
    const { instance_id } = await t.host.load('ui');
    await t.host.connect(instance_id);
    await t.host.refresh(instance_id);
    const before = t.host.instance(instance_id).revision;
    const frame = nextEvent(t.host, 'plugin-ui-updated');
    for (let i = 0; i < 5; i++) {
      const result = await t.host.handleMessage(instance_id, `hi ${i}`);
      expect(result.reply).toBe(`hi ${i}`);
    }
    // Back to back, the messages drew no frame yet; the one frame that follows them comes next.
    expect(t.host.instance(instance_id).revision).toBe(before);
    expect((await frame).payload.revision).toBe(before + 1);
    const replies = t.recorded.events.filter((e) => e.event === 'plugin-reply');
    expect(replies).toHaveLength(5);
    const lastReply = t.recorded.events.lastIndexOf(replies[4] as (typeof replies)[number]);
    const frameAt = t.recorded.events.findIndex(
      (e) => e.event === 'plugin-ui-updated' && e.payload.revision === before + 1,
    );
    expect(frameAt).toBeGreaterThan(lastReply);
    await t.host.refresh(instance_id);
    expect(t.host.instance(instance_id).revision).toBe(before + 2);
  });

  it('a failed message is followed by a frame too', async () => {
    await using t = await fakeHost([
      {
        id: 'ui',
        behavior: {
          ui: () => [{ id: 'n', type: 'label', text: 'x' }],
          handle: () => fail('no'),
        },
      },
    ]);
    const { instance_id } = await t.host.load('ui');
    await t.host.connect(instance_id);
    const before = t.host.instance(instance_id).revision;
    const frame = nextEvent(t.host, 'plugin-ui-updated');
    await expect(t.host.handleMessage(instance_id, 'hi')).rejects.toThrow();
    expect((await frame).payload.revision).toBe(before + 1);
  });
});
