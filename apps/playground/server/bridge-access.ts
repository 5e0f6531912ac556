import type { IncomingMessage } from 'node:http';

/**
 * The origins the page can come from: this server, on the port it really listens on. In `--dev`
 * mode Vite runs as middleware on this same server, so the dev page has the same origin; no
 * other port is ever allowed.
 */
export function pageOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * In `--dev` mode, the upgrade requests that belong to Vite's HMR socket (its `vite-hmr` and
 * `vite-ping` subprotocols at `/`); the bridge leaves those to Vite and refuses every other one.
 */
export function isViteUpgrade(req: IncomingMessage): boolean {
  const protocol = req.headers['sec-websocket-protocol'];
  if (protocol !== 'vite-hmr' && protocol !== 'vite-ping') return false;
  return (req.url ?? '').split('?')[0] === '/';
}
