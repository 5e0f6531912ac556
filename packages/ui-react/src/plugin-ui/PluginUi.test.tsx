import type { UiTree } from '@plugin-interfaces/spec';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PluginClientProvider } from '../hooks.js';
import { FakeClient } from '../test-support/fake-client.js';
import { instance, snapshotWith, uiUpdated } from '../test-support/fixtures.js';
import { PluginUi } from './PluginUi.js';

const edit = (
  value: string,
  extra: Partial<{ multiline: boolean; password: boolean; enabled: boolean }> = {},
) =>
  ({
    id: 'name',
    type: 'text_edit',
    value,
    hint: 'Your name',
    password: false,
    multiline: false,
    enabled: true,
    ...extra,
  }) as const;

function setup(tree: UiTree) {
  const client = new FakeClient(snapshotWith(instance({ tree, revision: 1 })));
  render(
    <PluginClientProvider client={client}>
      <PluginUi instanceId="echo-1" debounceMs={1000} />
    </PluginClientProvider>,
  );
  return client;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PluginUi', () => {
  it('renders every node type, nested groups as rows and columns', () => {
    setup([
      { id: 'h', type: 'heading', text: 'Settings' },
      {
        id: 'outer',
        type: 'vertical',
        children: [
          {
            id: 'row',
            type: 'horizontal',
            children: [
              { id: 'l', type: 'label', text: 'Deep label' },
              { id: 'sep', type: 'separator' },
              {
                id: 'inner',
                type: 'vertical',
                children: [{ id: 'b', type: 'button', text: 'Go', enabled: true }],
              },
            ],
          },
        ],
      },
      {
        id: 'c',
        type: 'combo_box',
        options: ['a', 'b'],
        selected: null,
        placeholder: 'Pick one',
        enabled: true,
      },
      { id: 't', type: 'toggle', label: 'Verbose', value: true, enabled: true },
      edit(''),
    ]);
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeDefined();
    const button = screen.getByRole('button', { name: 'Go' });
    expect(button.closest('[data-node-type="vertical"]')?.parentElement?.dataset.nodeType).toBe('horizontal');
    expect(screen.getByText('Deep label').className).toBe('pi-label');
    expect(screen.getByRole('separator')).toBeDefined();
    expect(screen.getByRole('combobox', { name: 'Pick one' })).toBeDefined();
    expect((screen.getByRole('checkbox', { name: 'Verbose' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('textbox', { name: 'Your name' })).toBeDefined();
  });

  it('sends a click ui_event when a button is clicked', async () => {
    const client = setup([{ id: 'go', type: 'button', text: 'Go', enabled: true }]);
    await userEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect(client.sent('ui_event')).toEqual([
      { instance_id: 'echo-1', event: { widget_id: 'go', kind: 'click' } },
    ]);
  });

  it('disables disabled widgets so they send nothing', async () => {
    const client = setup([
      { id: 'go', type: 'button', text: 'Go', enabled: false },
      { id: 't', type: 'toggle', label: 'On', value: false, enabled: false },
      edit('x', { enabled: false }),
    ]);
    const button = screen.getByRole('button', { name: 'Go' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'On' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('textbox') as HTMLInputElement).disabled).toBe(true);
    await userEvent.click(button);
    expect(client.requests).toEqual([]);
  });

  it('sends select and toggle events with the new values', async () => {
    const client = setup([
      {
        id: 'c',
        type: 'combo_box',
        options: ['red', 'green'],
        selected: 0,
        placeholder: 'Colour',
        enabled: true,
      },
      { id: 't', type: 'toggle', label: 'Loud', value: false, enabled: true },
    ]);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Colour' }), 'green');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Loud' }));
    expect(client.sent('ui_event')).toEqual([
      { instance_id: 'echo-1', event: { widget_id: 'c', kind: 'select', value: 1 } },
      { instance_id: 'echo-1', event: { widget_id: 't', kind: 'toggle', value: true } },
    ]);
  });

  it('sends the typed text on Enter, once', async () => {
    const client = setup([edit('')]);
    await userEvent.type(screen.getByRole('textbox', { name: 'Your name' }), 'Ada{Enter}');
    expect(client.sent('ui_event')).toEqual([
      { instance_id: 'echo-1', event: { widget_id: 'name', kind: 'text', value: 'Ada' } },
    ]);
  });

  it('sends the text once typing pauses for the debounce time', () => {
    vi.useFakeTimers();
    const client = setup([edit('')]);
    const box = screen.getByRole('textbox');
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: 'Bo' } });
    act(() => {
      vi.advanceTimersByTime(999);
    });
    fireEvent.change(box, { target: { value: 'Bob' } });
    act(() => {
      vi.advanceTimersByTime(999);
    });
    expect(client.sent('ui_event')).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(client.sent('ui_event')).toEqual([
      { instance_id: 'echo-1', event: { widget_id: 'name', kind: 'text', value: 'Bob' } },
    ]);
  });

  it('keeps unsent text in a focused field when a new frame arrives, and sends it on blur', async () => {
    const client = setup([edit('old')]);
    const box = screen.getByRole('textbox') as HTMLInputElement;
    await userEvent.clear(box);
    await userEvent.type(box, 'mine');
    act(() => client.push(uiUpdated(2, [edit('from plugin')])));
    expect(box.value).toBe('mine');
    await userEvent.tab();
    expect(client.sent('ui_event').at(-1)).toEqual({
      instance_id: 'echo-1',
      event: { widget_id: 'name', kind: 'text', value: 'mine' },
    });
  });

  it('shows the new value of a field that is not focused', () => {
    const client = setup([edit('old')]);
    act(() => client.push(uiUpdated(2, [edit('new')])));
    expect((screen.getByRole('textbox') as HTMLInputElement).value).toBe('new');
  });

  it('renders a password field as a password input', () => {
    setup([edit('', { password: true })]);
    expect(screen.getByLabelText('Your name').getAttribute('type')).toBe('password');
  });

  it('shows the host error when a UI event is refused', async () => {
    const client = setup([{ id: 'go', type: 'button', text: 'Go', enabled: true }]);
    client.answer = () => Promise.reject(new Error('widget go is gone'));
    await userEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect((await screen.findByRole('alert')).textContent).toBe('widget go is gone');
  });
});

describe('PluginUi labels', () => {
  it('shows a visible label for text edits and combo boxes', () => {
    setup([
      edit('typed already'),
      { id: 'c', type: 'combo_box', options: ['a'], selected: 0, placeholder: 'Colour', enabled: true },
    ]);
    expect(screen.getByText('Your name').tagName).toBe('LABEL');
    expect(screen.getByText('Your name').parentElement?.querySelector('input')).toBe(
      screen.getByRole('textbox', { name: 'Your name' }),
    );
    expect(screen.getByText('Colour').parentElement?.querySelector('select')).toBe(
      screen.getByRole('combobox', { name: 'Colour' }),
    );
  });
});
