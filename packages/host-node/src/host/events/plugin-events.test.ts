import type { FrontendEventOf } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import type { FakeContext } from '../../../test/support/fake-driver.js';
import { fakeHost } from '../../../test/support/fake-host.js';

type StreamEvent = FrontendEventOf<'plugin-stream'>;

/** A host with one instance `i1` that has an open stream `s1` with one chunk. */
async function withOpenStream() {
  const t = await fakeHost([{ id: 'p' }]);
  await t.host.load('p', { instanceId: 'i1' });
  const ctx = t.driver.contexts.get('i1') as FakeContext;
  ctx.emit(
    { kind: 'stream_start', streamId: 's1', title: null },
    { kind: 'stream_data', streamId: 's1', chunk: 'partial', seq: 0 },
  );
  await expect.poll(() => t.host.instance('i1').streams[0]?.content).toBe('partial');
  const ends = () =>
    t.recorded.events
      .filter((e): e is StreamEvent => e.event === 'plugin-stream')
      .filter((e) => e.payload.type === 'stream_end' || e.payload.type === 'stream_cancel');
  return { t, ctx, ends };
}

describe('open streams always end', () => {
  it('unload during a live stream emits stream_end with the reason', async () => {
    const { t, ends } = await withOpenStream();
    await using _ = t;
    await t.host.unload('i1');
    expect(ends().map((e) => e.payload)).toEqual([
      expect.objectContaining({
        type: 'stream_end',
        data: { stream_id: 's1', success: false, error: expect.stringMatching(/unloaded/) },
      }),
    ]);
  });

  it('reload during a live stream ends it, and the re-created instance shows it cancelled', async () => {
    const { t, ends } = await withOpenStream();
    await using _ = t;
    await t.host.reload('p');
    expect(ends()).toHaveLength(1);
    expect(t.host.instance('i1').streams).toMatchObject([
      { stream_id: 's1', state: 'cancelled', content: 'partial' },
    ]);
    expect(t.host.instance('i1').history.at(-1)).toMatchObject({ type: 'streaming', status: 'cancelled' });
  });

  it('a stream the plugin ended itself is not ended again by the unload', async () => {
    const { t, ctx, ends } = await withOpenStream();
    await using _ = t;
    ctx.emit({ kind: 'stream_end', streamId: 's1', success: true, error: null });
    await expect.poll(() => ends().length).toBe(1);
    await t.host.unload('i1');
    expect(ends()).toHaveLength(1);
  });
});

describe('stream controls on ended streams', () => {
  it('resume after cancel is refused as STREAM_STATE without asking the plugin', async () => {
    const { t } = await withOpenStream();
    await using _ = t;
    await t.host.controlStream('i1', 's1', 'cancel');
    const resume = t.host.controlStream('i1', 's1', 'resume');
    await expect(resume).rejects.toMatchObject({
      code: 'STREAM_STATE',
      message: /is cancelled; it cannot be resumed/,
    });
    expect(t.driver.calls.filter((c) => c.startsWith('i1:stream_control'))).toEqual([
      'i1:stream_control:cancel',
    ]);
  });

  it('a chunk for an ended stream is dropped and logged as ended, one for an unknown stream as unknown', async () => {
    const { t, ctx } = await withOpenStream();
    await using _ = t;
    ctx.emit(
      { kind: 'stream_end', streamId: 's1', success: true, error: null },
      { kind: 'stream_data', streamId: 's1', chunk: 'late', seq: 1 },
      { kind: 'stream_data', streamId: 'nope', chunk: 'x', seq: 0 },
    );
    await expect.poll(() => t.logs.filter((l) => l.message.startsWith('Dropped a chunk')).length).toBe(2);
    expect(t.logs.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        'Dropped a chunk of stream s1: ended.',
        'Dropped a chunk of stream nope: unknown (2 chunks dropped so far).',
      ]),
    );
    expect(t.host.instance('i1').streams[0]?.content).toBe('partial');
  });
});
