import type { HistoryMessage } from '@plugin-interfaces/spec';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PluginClientProvider } from '../hooks.js';
import { FakeClient } from '../test-support/fake-client.js';
import { instance, message, snapshotWith, stream, who } from '../test-support/fixtures.js';
import { ChatView } from './ChatView.js';

const entry = (
  id: string,
  role: HistoryMessage['role'],
  content: string,
  extra: Partial<HistoryMessage> = {},
) =>
  ({
    id,
    type: 'normal',
    status: 'completed',
    content,
    pluginId: 'echo',
    role,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...extra,
  }) satisfies HistoryMessage;

function setup(history: HistoryMessage[] = []) {
  const client = new FakeClient(snapshotWith(instance({ history })));
  render(
    <PluginClientProvider client={client}>
      <ChatView instanceId="echo-1" />
    </PluginClientProvider>,
  );
  return { client, log: screen.getByRole('log') };
}

describe('ChatView', () => {
  it('shows history in a live log, each message type styled distinctly', () => {
    const { log } = setup([
      entry('1', 'user', 'hi'),
      entry('2', 'plugin', 'all **good**', { messageType: 'success' }),
      entry('3', 'system', 'careful', { messageType: 'warning' }),
    ]);
    expect(log.getAttribute('aria-live')).toBe('polite');
    const items = within(log).getAllByRole('article');
    expect(
      items.map((a) => [a.dataset.role, a.dataset.messageType, a.textContent?.includes('Echo')]),
    ).toEqual([
      ['user', 'normal', false],
      ['plugin', 'success', true],
      ['system', 'warning', false],
    ]);
    expect(within(items[1] as HTMLElement).getByText('good').tagName).toBe('STRONG');
  });

  it('sends the message on Enter and shows it at once', async () => {
    const { client, log } = setup();
    await userEvent.type(screen.getByRole('textbox', { name: 'Message to Echo' }), 'Hello there{Enter}');
    expect(client.sent('send_message')).toEqual([{ instance_id: 'echo-1', message: 'Hello there' }]);
    expect(within(log).getByText('Hello there')).toBeDefined();
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).value).toBe('');
  });

  it('does not send blank text', async () => {
    const { client } = setup();
    await userEvent.type(screen.getByRole('textbox'), '   {Enter}');
    expect(client.sent('send_message')).toEqual([]);
  });

  it('marks a message that never reached the host as not delivered', async () => {
    const { client, log } = setup();
    client.answer = () => Promise.reject(new Error('the socket closed'));
    await userEvent.type(screen.getByRole('textbox'), 'ping{Enter}');
    expect(await within(log).findByText('Not delivered: the socket closed')).toBeDefined();
  });

  it('shows a failed send once, in place, when the host recorded it and its error', async () => {
    const { client, log } = setup();
    client.answer = () => Promise.reject(new Error('plugin failed'));
    await userEvent.type(screen.getByRole('textbox'), 'ping{Enter}');
    act(() => {
      client.push({ event: 'plugin-history', payload: { ...who, message: entry('u1', 'user', 'ping') } });
      client.push({
        event: 'plugin-history',
        payload: { ...who, message: entry('s1', 'system', '', { status: 'error', error: 'plugin failed' }) },
      });
    });
    await act(async () => undefined);
    expect(within(log).getAllByText('ping')).toHaveLength(1);
    expect(within(log).queryByText(/Not delivered/)).toBeNull();
    const items = within(log).getAllByRole('article');
    expect(items.map((a) => a.dataset.role)).toEqual(['user', 'system']);
    expect(items[1]?.textContent).toContain('plugin failed');
  });

  it('disables the send box, saying why, while the instance is not connected', () => {
    const client = new FakeClient(snapshotWith(instance({ state: 'mounted' })));
    render(
      <PluginClientProvider client={client}>
        <ChatView instanceId="echo-1" />
      </PluginClientProvider>,
    );
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).disabled).toBe(true);
    expect(screen.getByText('This instance is mounted; press Connect to chat.')).toBeDefined();
  });

  it('gives each message type an icon and a text label', () => {
    const { log } = setup([entry('2', 'plugin', 'done', { messageType: 'success' })]);
    expect(within(log).getByText('Success')).toBeDefined();
  });

  it('Clear chat asks the host to clear; the log empties when the host says it did, echoes included', async () => {
    const client = new FakeClient(snapshotWith(instance({ history: [entry('1', 'user', 'old')] })));
    client.answer = (op) => (op === 'send_message' ? new Promise(() => undefined) : Promise.resolve(null));
    render(
      <PluginClientProvider client={client}>
        <ChatView instanceId="echo-1" clearable />
      </PluginClientProvider>,
    );
    const log = screen.getByRole('log');
    await userEvent.type(screen.getByRole('textbox', { name: 'Message to Echo' }), 'in flight{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Clear chat' }));
    expect(client.sent('clear_history')).toEqual([{ instance_id: 'echo-1' }]);
    expect(within(log).getByText('old')).toBeDefined(); // nothing is hidden before the host answers
    act(() => client.push({ event: 'plugin-history-cleared', payload: who }));
    expect(within(log).queryAllByRole('article')).toEqual([]);
    expect((screen.getByRole('button', { name: 'Clear chat' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows why Clear chat failed', async () => {
    const client = new FakeClient(snapshotWith(instance({ history: [entry('1', 'user', 'old')] })));
    client.answer = () => Promise.reject(new Error('the host is gone'));
    render(
      <PluginClientProvider client={client}>
        <ChatView instanceId="echo-1" clearable />
      </PluginClientProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Clear chat' }));
    expect(await screen.findByRole('alert')).toBeDefined();
    expect(within(screen.getByRole('log')).getByText('old')).toBeDefined();
  });

  it('shows new plugin messages and replies as they arrive', () => {
    const { client, log } = setup();
    act(() => {
      client.push(message('m1', 'first'));
      client.push({
        event: 'plugin-reply',
        payload: { ...who, request_id: 'r1', ok: true, content: 'the reply' },
      });
    });
    expect(within(log).getByText('first')).toBeDefined();
    expect(within(log).getByText('the reply')).toBeDefined();
  });

  it('renders a stream incrementally and sends stream_control when Cancel is clicked', async () => {
    const { client, log } = setup();
    act(() => {
      client.push(stream('stream_start', { stream_id: 's1', title: 'Poem' }));
      client.push(stream('stream_data', { stream_id: 's1', chunk: 'Roses ', is_final: false, seq: 0 }));
    });
    const article = within(log).getByRole('article', { name: 'Poem' });
    expect(article.textContent).toContain('Roses');
    act(() =>
      client.push(stream('stream_data', { stream_id: 's1', chunk: 'are red', is_final: false, seq: 1 })),
    );
    expect(article.textContent).toContain('Roses are red');
    await userEvent.click(within(article).getByRole('button', { name: 'Cancel' }));
    expect(client.sent('stream_control')).toEqual([
      { instance_id: 'echo-1', stream_id: 's1', control: 'cancel' },
    ]);
  });

  it('offers Resume while paused and sends it', async () => {
    const { client } = setup();
    act(() => {
      client.push(stream('stream_start', { stream_id: 's1', title: null }));
      client.push(stream('stream_pause', { stream_id: 's1' }));
    });
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(client.sent('stream_control')).toEqual([
      { instance_id: 'echo-1', stream_id: 's1', control: 'resume' },
    ]);
  });

  it('shows how a stream ended and removes its controls', () => {
    const { client } = setup();
    act(() => {
      client.push(stream('stream_start', { stream_id: 'ok', title: 'A' }));
      client.push(stream('stream_end', { stream_id: 'ok', success: true, error: null }));
      client.push(stream('stream_start', { stream_id: 'bad', title: 'B' }));
      client.push(stream('stream_end', { stream_id: 'bad', success: false, error: 'quota exceeded' }));
      client.push(stream('stream_start', { stream_id: 'stop', title: 'C' }));
      client.push(stream('stream_cancel', { stream_id: 'stop', by: 'user' }));
    });
    expect(screen.getByRole('article', { name: 'A' }).textContent).toContain('Completed');
    expect(screen.getByRole('article', { name: 'B' }).textContent).toContain('Failed: quota exceeded');
    expect(screen.getByRole('article', { name: 'C' }).textContent).toContain('Cancelled');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});
