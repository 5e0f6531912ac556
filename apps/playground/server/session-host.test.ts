import type { PluginHost } from '@plugin-interfaces/host-node';
import type { FrontendEvent } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { sessionAwareHost } from './session-host.js';

/** A stand-in host with private state, like the real one. */
class FakeHost {
  readonly #sent: string[] = [];
  readonly #listeners = new Set<(e: FrontendEvent) => void>();
  async handleMessage(id: string, text: string) {
    this.#sent.push(`${id}:${text}`);
    return { requestId: '1', reply: null };
  }
  async history(id: string) {
    return { instance: id, sent: [...this.#sent] };
  }
  async connect(_id: string) {}
  setAppConfig(_k: string, _v: unknown) {}
  on(_name: '*', l: (e: FrontendEvent) => void) {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
  off(_name: '*', l: (e: FrontendEvent) => void) {
    this.#listeners.delete(l);
  }
}

describe('the host as the playground bridge sees it', () => {
  it('passes other ops through to the host (its private state intact) and reports session changes', async () => {
    let changes = 0;
    const { host } = sessionAwareHost(new FakeHost() as unknown as PluginHost, () => changes++);
    await host.handleMessage('a', 'hi');
    expect(await host.history('a', {})).toEqual({ instance: 'a', sent: ['a:hi'] });
    expect(changes).toBe(0);
    await host.connect('a');
    host.setAppConfig('k', 1);
    await Promise.resolve();
    expect(changes).toBe(2);
  });

  it('delivers its own events (watch notices) to the bridge listener', () => {
    const { host, emit } = sessionAwareHost(new FakeHost() as unknown as PluginHost, () => undefined);
    const seen: string[] = [];
    const off = host.on?.('*', (e) => seen.push(e.event));
    const event: FrontendEvent = {
      event: 'plugin-log',
      payload: { plugin_id: 'p', instance_id: 'playground-watch', timestamp: 0, level: 'info', message: 'm' },
    };
    emit(event);
    if (typeof off === 'function') off();
    emit(event);
    expect(seen).toEqual(['plugin-log']);
  });
});
