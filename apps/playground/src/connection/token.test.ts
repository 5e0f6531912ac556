import { describe, expect, it } from 'vitest';
import { bridgeEndpoint, tokenFromUrl } from './token.js';

describe('page token and endpoint', () => {
  it('reads the token from the page URL', () => {
    expect(tokenFromUrl('http://127.0.0.1:5173/?token=abc_-1')).toBe('abc_-1');
    expect(tokenFromUrl('http://127.0.0.1:5173/')).toBeNull();
    expect(tokenFromUrl('http://127.0.0.1:5173/?token=')).toBeNull();
  });

  it('points the bridge at the server that served the page', () => {
    expect(bridgeEndpoint('http://127.0.0.1:5173/?token=x')).toBe('ws://127.0.0.1:5173/bridge');
    expect(bridgeEndpoint('https://localhost:8443/a/b')).toBe('wss://localhost:8443/bridge');
  });
});
