import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random bridge token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compare two tokens in constant time (independent of where they differ and of their length). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Why an upgrade request is refused: the HTTP status and a one-line reason. */
export interface Refusal {
  readonly status: 401 | 403;
  readonly reason: string;
}

/** What an upgrade request must match. */
export interface AccessRules {
  readonly token: string;
  /** Exact `Host` header values accepted (e.g. `127.0.0.1:5173`). */
  readonly hosts: ReadonlySet<string>;
  /** Exact `Origin` values accepted; a request without `Origin` (not a browser) passes this check. */
  readonly origins: ReadonlySet<string>;
}

/**
 * Check one WebSocket upgrade request against the rules: the `Host` header (DNS rebinding), the
 * `Origin` (other web pages), then the `token` query parameter. Returns null when all pass.
 */
export function checkUpgrade(req: IncomingMessage, rules: AccessRules): Refusal | null {
  const host = req.headers.host ?? '';
  if (!rules.hosts.has(host.toLowerCase()))
    return { status: 403, reason: `Host "${host}" is not allowed; connect to 127.0.0.1 or localhost.` };
  const origin = req.headers.origin;
  if (origin !== undefined && !rules.origins.has(origin.toLowerCase()))
    return { status: 403, reason: `Origin "${origin}" is not allowed to use this bridge.` };
  const token = new URL(req.url ?? '/', 'http://bridge').searchParams.get('token');
  if (token === null) return { status: 401, reason: 'The bridge token is missing (add ?token=...).' };
  if (!tokensEqual(token, rules.token)) return { status: 401, reason: 'The bridge token is wrong.' };
  return null;
}

/** The `Host` values a server on 127.0.0.1:`port` answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** The default origins: pages served by this server itself, and the playground's dev server. */
export function defaultOrigins(port: number, devPort = 5173): Set<string> {
  const out = new Set<string>();
  for (const p of new Set([port, devPort]))
    for (const h of ['127.0.0.1', 'localhost', '[::1]']) out.add(`http://${h}:${p}`);
  return out;
}
