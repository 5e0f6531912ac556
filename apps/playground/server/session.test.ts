import type { InstanceInfo } from '@plugin-interfaces/spec';
import { describe, expect, it } from 'vitest';
import { PlaygroundAppConfig } from './app-config.js';
import { parseSession, restoreSession, sessionOf } from './session.js';

const info = (id: string, state: InstanceInfo['state'], settings: Record<string, unknown> = {}) =>
  ({
    instance_id: id,
    plugin_id: 'echo',
    state,
    revision: 0,
    tree: [],
    history: [],
    streams: [],
    settings,
  }) satisfies InstanceInfo;

describe('playground session', () => {
  it('remembers instances with their settings (never secrets) and whether they were connected, and the app config', () => {
    const host = {
      snapshot: () => ({
        plugins: [],
        instances: [info('a', 'connected', { n: 1, api_key: { secret: 'set' } }), info('b', 'mounted')],
        app_config: { theme: 'dark' },
      }),
    };
    expect(sessionOf(host)).toEqual({
      instances: [
        { plugin_id: 'echo', instance_id: 'a', settings: { n: 1 }, connected: true },
        { plugin_id: 'echo', instance_id: 'b', settings: {}, connected: false },
      ],
      app_config: { theme: 'dark' },
    });
  });

  it('drops malformed parts of a session file', () => {
    expect(parseSession('not json')).toEqual({ instances: [], app_config: {} });
    expect(
      parseSession('{"instances":[{"plugin_id":"x"},{"plugin_id":"p","instance_id":"i"}],"app_config":[]}'),
    ).toEqual({
      instances: [{ plugin_id: 'p', instance_id: 'i', settings: {}, connected: false }],
      app_config: {},
    });
  });

  it('restores instances with the same ids and settings, connecting the connected ones, and reports failures', async () => {
    const calls: string[] = [];
    const host = {
      load: async (plugin: string, o?: { instanceId?: string; settings?: Record<string, unknown> }) => {
        if (plugin === 'gone') throw new Error('PLUGIN_NOT_FOUND');
        calls.push(`load ${plugin} ${o?.instanceId} ${JSON.stringify(o?.settings)}`);
        return info(o?.instanceId ?? '', 'mounted');
      },
      connect: async (id: string) => {
        calls.push(`connect ${id}`);
      },
    };
    const problems = await restoreSession(host, {
      instances: [
        { plugin_id: 'echo', instance_id: 'a', settings: { n: 1 }, connected: true },
        { plugin_id: 'gone', instance_id: 'g', settings: {}, connected: false },
        { plugin_id: 'echo', instance_id: 'b', settings: {}, connected: false },
      ],
      app_config: {},
    });
    expect(calls).toEqual(['load echo a {"n":1}', 'connect a', 'load echo b {}']);
    expect(problems).toEqual(['g (gone): PLUGIN_NOT_FOUND']);
  });

  it('deletes an app config key set to null and reports each change', () => {
    let changes = 0;
    const config = new PlaygroundAppConfig({ a: 1, b: null }, () => changes++);
    expect([...config.entries()]).toEqual([['a', 1]]);
    config.set('a', null);
    config.set('c', 'x');
    expect([...config.entries()]).toEqual([['c', 'x']]);
    expect(changes).toBe(2);
  });
});
