import { act, render, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import {
  PluginClientProvider,
  useConnectionStatus,
  useInstance,
  usePluginClient,
  useSnapshot,
} from './hooks.js';
import { FakeClient } from './test-support/fake-client.js';
import { instance, message, snapshotWith } from './test-support/fixtures.js';

function HistoryCount({ id }: { id: string }): ReactNode {
  const inst = useInstance(id);
  return <p>{inst ? `${inst.history.length} messages` : 'no instance'}</p>;
}

describe('hooks', () => {
  it('re-render when the client applies an event', () => {
    const client = new FakeClient(snapshotWith(instance()));
    render(
      <PluginClientProvider client={client}>
        <HistoryCount id="echo-1" />
        <HistoryCount id="other" />
      </PluginClientProvider>,
    );
    expect(screen.getByText('0 messages')).toBeDefined();
    expect(screen.getByText('no instance')).toBeDefined();
    act(() => client.push(message('m1', 'hi')));
    expect(screen.getByText('1 messages')).toBeDefined();
  });

  it('return the client, its snapshot and its status', () => {
    const client = new FakeClient(snapshotWith(instance()));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <PluginClientProvider client={client}>{children}</PluginClientProvider>
    );
    const { result } = renderHook(() => [usePluginClient(), useSnapshot(), useConnectionStatus()] as const, {
      wrapper,
    });
    expect(result.current[0]).toBe(client);
    expect(result.current[1]).toBe(client.snapshot());
    expect(result.current[2]).toBe('open');
  });

  it('usePluginClient throws a clear error outside a provider', () => {
    expect(() => renderHook(() => usePluginClient())).toThrow(/inside <PluginClientProvider>/);
  });
});
