import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isViteUpgrade, pageOrigins } from './bridge-access.js';

const req = (url: string, protocol?: string) =>
  ({ url, headers: protocol === undefined ? {} : { 'sec-websocket-protocol': protocol } }) as IncomingMessage;

describe('the bridge access the playground configures', () => {
  it('allows only the page origins of the port the server really listens on', () => {
    expect(pageOrigins(4321)).toEqual(['http://127.0.0.1:4321', 'http://localhost:4321']);
    expect(pageOrigins(4321).join()).not.toContain('5173');
  });

  it("leaves only Vite's own HMR upgrades (vite-hmr / vite-ping at /) to Vite", () => {
    expect(isViteUpgrade(req('/?token=abc', 'vite-hmr'))).toBe(true);
    expect(isViteUpgrade(req('/', 'vite-ping'))).toBe(true);
    expect(isViteUpgrade(req('/', undefined))).toBe(false);
    expect(isViteUpgrade(req('/elsewhere', 'vite-hmr'))).toBe(false);
    expect(isViteUpgrade(req('/', 'vite-hmr, chat'))).toBe(false);
  });
});
