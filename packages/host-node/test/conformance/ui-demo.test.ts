import { describe, expect, it } from 'vitest';
import { conformanceHost, texts, widget } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

describe.each(MATRIX)('ui-demo ($name)', (c) => {
  const plugins = usePlugins(c, ['ui-demo']);

  async function loaded(root: string) {
    const t = await conformanceHost(c, root);
    const { instance_id } = await t.host.load(plugins.id('ui-demo'));
    await t.host.connect(instance_id);
    return { t, id: instance_id, tree: () => t.host.instance(instance_id).tree };
  }

  it('counts button clicks', async (ctx) => {
    const { t, id, tree } = await loaded(plugins.root(ctx));
    await using _ = t;
    await t.host.dispatchUiEvent(id, { widget_id: widget(tree(), { id: 'increment' }).id, kind: 'click' });
    expect(texts(tree())).toContain('Count: 1');
    const updated = t.recorded.events.filter((e) => e.event === 'plugin-ui-updated');
    expect(updated.at(-1)?.payload).toMatchObject({
      instance_id: id,
      revision: t.host.instance(id).revision,
    });
    expect(t.recorded.invalid).toEqual([]);
  });

  it('greets the name typed into the text edit', async (ctx) => {
    const { t, id, tree } = await loaded(plugins.root(ctx));
    await using _ = t;
    await t.host.dispatchUiEvent(id, { widget_id: 'name', kind: 'text', value: 'Ada' });
    expect(texts(tree())).toContain('Hello, Ada!');
    expect(widget(tree(), { id: 'name' })).toMatchObject({ type: 'text_edit', value: 'Ada' });
  });

  it('shows the combo selection and the toggle state', async (ctx) => {
    const { t, id, tree } = await loaded(plugins.root(ctx));
    await using _ = t;
    const combo = widget(tree(), { id: 'color' });
    expect(combo.type).toBe('combo_box');
    const green = combo.type === 'combo_box' ? combo.options.indexOf('Green') : -1;
    await t.host.dispatchUiEvent(id, { widget_id: 'color', kind: 'select', value: green });
    expect(texts(tree())).toContain('Color: Green');
    await t.host.dispatchUiEvent(id, { widget_id: 'enabled', kind: 'toggle', value: true });
    expect(texts(tree())).toContain('Enabled: yes');
  });

  it('sends a greeting message from the auto-id button', async (ctx) => {
    const { t, id, tree } = await loaded(plugins.root(ctx));
    await using _ = t;
    await t.host.dispatchUiEvent(id, { widget_id: 'name', kind: 'text', value: 'Bo' });
    await t.host.dispatchUiEvent(id, {
      widget_id: widget(tree(), { text: 'Send greeting' }).id,
      kind: 'click',
    });
    await expect
      .poll(() => t.recorded.events.find((e) => e.event === 'plugin-message')?.payload)
      .toMatchObject({ message_type: 'success', content: 'Hello, Bo!' });
    expect(t.host.instance(id).history.at(-1)).toMatchObject({
      role: 'plugin',
      content: 'Hello, Bo!',
      messageType: 'success',
    });
  });

  it('reports its state through handle_message("state")', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    await t.host.dispatchUiEvent(id, { widget_id: 'increment', kind: 'click' });
    await t.host.dispatchUiEvent(id, { widget_id: 'name', kind: 'text', value: 'Cy' });
    await t.host.dispatchUiEvent(id, { widget_id: 'enabled', kind: 'toggle', value: true });
    const { reply } = await t.host.handleMessage(id, 'state');
    expect(reply).toMatch(/^count=1 name=Cy color=(none|\w+) enabled=yes$/);
  });

  it('refuses an event whose kind does not fit the widget', async (ctx) => {
    const { t, id } = await loaded(plugins.root(ctx));
    await using _ = t;
    await expect(
      t.host.dispatchUiEvent(id, { widget_id: 'increment', kind: 'toggle', value: true }),
    ).rejects.toMatchObject({
      code: 'UI_EVENT_INVALID',
    });
  });
});
