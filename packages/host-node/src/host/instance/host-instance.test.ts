import type { UiTree } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
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

  it('handleMessage resolves after the frame that follows the message, with its revision', async () => {
    let frames = 0;
    await using t = await fakeHost([
      { id: 'ui', behavior: { ui: () => [{ id: 'n', type: 'label', text: String(frames++) }] } },
    ]);
    const { instance_id } = await t.host.load('ui');
    await t.host.connect(instance_id);
    const result = await t.host.handleMessage(instance_id, 'hi');
    const info = t.host.instance(instance_id);
    expect(result.revision).toBe(info.revision);
    const updates = t.recorded.events.filter((e) => e.event === 'plugin-ui-updated');
    expect(updates.at(-1)?.payload.revision).toBe(result.revision);
    const replyIndex = t.recorded.events.findIndex((e) => e.event === 'plugin-reply');
    const frameIndex = t.recorded.events.findIndex(
      (e) => e.event === 'plugin-ui-updated' && e.payload.revision === result.revision,
    );
    expect(frameIndex).toBeGreaterThan(replyIndex);
  });
});
