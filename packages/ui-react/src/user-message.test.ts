import { describe, expect, it } from 'vitest';
import { PluginClientError } from './errors.js';
import { userMessage } from './user-message.js';

describe('userMessage', () => {
  it('tells the user to press Connect when a message meets a disconnected instance', () => {
    const e = new PluginClientError('remote', 'LIFECYCLE_ORDER', 'is mounted. Call connect() first.', {
      detail: { state: 'mounted', op: 'message', allowed: ['connect'] },
    });
    expect(userMessage(e)).toBe('This instance is not connected: press Connect, then send again.');
  });

  it('says the page reconnects when the connection dropped', () => {
    const e = new PluginClientError('disconnected', 'CANCELLED', 'lost', { retryable: true });
    expect(userMessage(e)).toMatch(/reconnects by itself/);
  });

  it('strips API hints from other messages', () => {
    expect(userMessage(new Error('Not allowed. Call connect() first.'))).toBe('Not allowed.');
  });
});
