import type { FrontendEventOf } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/events.js';
import { conformanceHost, nodes, texts, widget } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

type StreamEvent = FrontendEventOf<'plugin-stream'>['payload'];

// The seed's example plugin exists as a Rust port only (the C SDK has no seed to port).
describe.each(MATRIX.filter((c) => c.lang === 'rust'))('seed-example ($name)', (c) => {
  const plugins = usePlugins(c, ['seed-example']);
  const streamEvents = (events: readonly { event: string }[]) =>
    events.flatMap((e) =>
      e.event === 'plugin-stream' ? [(e as FrontendEventOf<'plugin-stream'>).payload] : [],
    );
  const messages = (events: readonly { event: string }[]) =>
    events.flatMap((e) =>
      e.event === 'plugin-message' ? [(e as FrontendEventOf<'plugin-message'>).payload.content] : [],
    );
  const logs = (events: readonly { event: string }[]) =>
    events.flatMap((e) =>
      e.event === 'plugin-log' ? [(e as FrontendEventOf<'plugin-log'>).payload.message] : [],
    );

  async function loaded(root: string, settings: Record<string, number> = {}) {
    const t = await conformanceHost(c, root);
    const { instance_id } = await t.host.load(plugins.id('seed-example'), { settings });
    await t.host.connect(instance_id);
    return { t, id: instance_id, tree: () => t.host.instance(instance_id).tree };
  }

  async function click(t: Awaited<ReturnType<typeof loaded>>, text: string) {
    const target = widget(t.tree(), { text });
    await t.t.host.dispatchUiEvent(t.id, { widget_id: target.id, kind: 'click' });
  }

  it('declares every widget of the seed example', async (ctx) => {
    const s = await loaded(plugins.root(ctx));
    await using _ = s.t;
    const tree = s.tree();
    const kinds = nodes(tree).map((n) => n.type);
    for (const text of ['Short', 'Markdown', 'Background Stream Demo', 'Age +5 (Async)'])
      expect(widget(tree, { text }).type).toBe('button');
    expect(widget(tree, { id: 'name' })).toMatchObject({ type: 'text_edit', value: 'Debin' });
    expect(widget(tree, { id: 'option' })).toMatchObject({
      type: 'combo_box',
      options: ['Option 1', 'Option 2', 'Option 3'],
    });
    expect(widget(tree, { id: 'dark_mode' })).toMatchObject({ type: 'toggle', value: false });
    expect(kinds.filter((k) => k === 'horizontal')).toHaveLength(2);
    expect(texts(tree)).toEqual(
      expect.arrayContaining([
        'Dark Mode:',
        'Name: Debin',
        'Age: 32',
        'Selected Option: None',
        'Dark Mode: false',
      ]),
    );
    expect(s.t.recorded.invalid).toEqual([]);
  });

  it('echoes the text edit, the combo box (bound to text) and the label-less switch', async (ctx) => {
    const s = await loaded(plugins.root(ctx));
    await using _ = s.t;
    await s.t.host.dispatchUiEvent(s.id, { widget_id: 'name', kind: 'text', value: 'Ada' });
    await s.t.host.dispatchUiEvent(s.id, { widget_id: 'option', kind: 'select', value: 2 });
    await s.t.host.dispatchUiEvent(s.id, { widget_id: 'dark_mode', kind: 'toggle', value: true });
    expect(texts(s.tree())).toEqual(
      expect.arrayContaining(['Name: Ada', 'Selected Option: Option 3', 'Dark Mode: true']),
    );
  });

  it('posts the short and the Markdown message', async (ctx) => {
    const s = await loaded(plugins.root(ctx));
    await using _ = s.t;
    await click(s, 'Short');
    await click(s, 'Markdown');
    const [short, markdown] = await waitFor(() => {
      const m = messages(s.t.recorded.events);
      return m.length >= 2 ? m : undefined;
    });
    expect(short).toBe('A short message from the Rust seed example.');
    expect(markdown).toContain('```rust');
    expect(markdown).toContain('$$\\int_0^1');
  });

  it('streams 10 chunks in the background, the last one final', async (ctx) => {
    const s = await loaded(plugins.root(ctx), { chunk_delay_ms: 1 });
    await using _ = s.t;
    await click(s, 'Background Stream Demo');
    const end = await waitFor(() => streamEvents(s.t.recorded.events).find((e) => e.type === 'stream_end'));
    expect(end.data).toMatchObject({ success: true });
    const chunks = streamEvents(s.t.recorded.events).flatMap((e: StreamEvent) =>
      e.type === 'stream_data' ? [e.data.chunk] : [],
    );
    expect(chunks).toEqual(Array.from({ length: 10 }, (_, i) => `Background chunk ${i + 1} of 10. `));
    expect(s.t.host.instance(s.id).streams[0]).toMatchObject({
      state: 'completed',
      content: chunks.join(''),
    });
  });

  it('stops its stream as soon as the user cancels, even in the middle of a 60 s pause', async (ctx) => {
    const s = await loaded(plugins.root(ctx), { chunk_delay_ms: 60_000 });
    await using _ = s.t;
    await click(s, 'Background Stream Demo');
    const first = await waitFor(() =>
      streamEvents(s.t.recorded.events).find((e) => e.type === 'stream_data'),
    );
    await s.t.host.controlStream(s.id, first.data.stream_id, 'cancel');
    // The worker sleeps on the stream's cancel token, so it wakes now rather than after 60 s.
    await waitFor(() => logs(s.t.recorded.events).find((m) => m.includes('cancelled; stopped')), 5000);
    expect(streamEvents(s.t.recorded.events).filter((e) => e.type === 'stream_data')).toHaveLength(1);
    expect(s.t.host.instance(s.id).streams[0]?.state).toBe('cancelled');
  });

  it('adds 5 to the age from a background thread and refreshes the UI by itself', async (ctx) => {
    const s = await loaded(plugins.root(ctx), { age_delay_ms: 1 });
    await using _ = s.t;
    const age = () => texts(s.tree()).find((x) => x.startsWith('Age: '));
    const before = Number(age()?.slice(5));
    await click(s, 'Age +5 (Async)');
    await waitFor(() => messages(s.t.recorded.events).find((m) => m.startsWith('Age updated')));
    expect(messages(s.t.recorded.events)).toContain(`Age updated from ${before} to ${before + 5} (+5)`);
    await expect.poll(age).toBe(`Age: ${before + 5}`);
  });

  it('echoes a chat message with the size of the history it received', async (ctx) => {
    const s = await loaded(plugins.root(ctx));
    await using _ = s.t;
    await s.t.host.handleMessage(s.id, 'one');
    const before = s.t.host.instance(s.id).history.length;
    const { reply } = await s.t.host.handleMessage(s.id, 'two');
    const match = /^Echo from Rust seed example: two \(history: (\d+) messages\)$/.exec(reply ?? '');
    expect(match, String(reply)).not.toBeNull();
    // Everything the host holds before the message, plus the message itself where the host
    // includes it (issue 11 item 8).
    expect([before, before + 1]).toContain(Number(match?.[1]));
    expect(before).toBeGreaterThan(0);
  });

  it('ends its age thread at once when the instance is closed during the wait', async (ctx) => {
    const s = await loaded(plugins.root(ctx), { age_delay_ms: 60_000 });
    await click(s, 'Age +5 (Async)');
    const started = Date.now();
    await s.t[Symbol.asyncDispose]();
    // host.sleep returns false when destroy begins, so destroy does not wait out the 60 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(messages(s.t.recorded.events).some((m) => m.startsWith('Age updated'))).toBe(false);
  });
});
