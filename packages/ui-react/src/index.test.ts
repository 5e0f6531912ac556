import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('package entry', () => {
  it('exports the components, hooks, client and reducer', () => {
    const functions = Object.entries(api)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(functions).toEqual(
      expect.arrayContaining([
        'createWebSocketClient',
        'applyFrontendEvent',
        'PluginClientProvider',
        'useSnapshot',
        'useInstance',
        'usePluginClient',
        'PluginUi',
        'Markdown',
        'ChatView',
        'SettingsForm',
        'PluginClientError',
      ]),
    );
  });
});
