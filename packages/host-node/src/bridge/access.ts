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
  readonly status: 400 | 401 | 403 | 404;
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

/** The URL of a request target (`/bridge?token=…`); null when it does not parse. */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://bridge');
  } catch {
    return null;
  }
}

/**
 * Check one WebSocket upgrade request against the rules: a target that parses (400), the `Host`
 * header (DNS rebinding), the `Origin` (other web pages), then the `token` query parameter.
 * Returns null when all pass.
 */
export function checkUpgrade(req: IncomingMessage, rules: AccessRules): Refusal | null {
  const url = requestUrl(req.url);
  if (url === null) return { status: 400, reason: 'The request target is not a valid URL.' };
  const host = req.headers.host ?? '';
  if (!rules.hosts.has(host.toLowerCase()))
    return { status: 403, reason: `Host "${clip(host)}" is not allowed; connect to 127.0.0.1 or localhost.` };
  const origin = req.headers.origin;
  if (origin !== undefined && !rules.origins.has(origin.toLowerCase()))
    return { status: 403, reason: `Origin "${clip(origin)}" is not allowed to use this bridge.` };
  const token = url.searchParams.get('token');
  if (token === null) return { status: 401, reason: 'The bridge token is missing (add ?token=...).' };
  if (!tokensEqual(token, rules.token)) return { status: 401, reason: 'The bridge token is wrong.' };
  return null;
}

/** A header value as quoted in a refusal: printable ASCII, at most 100 characters. */
function clip(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 100 ? `${printable.slice(0, 100)}…` : printable;
}

/** The `Host` values a server on 127.0.0.1:`port` answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * The default origins: pages served by this server itself, on the port it really listens on and
 * under the names of the address it listens on (`localhost` and the IP).
 */
export function defaultOrigins(port: number, address = '127.0.0.1'): Set<string> {
  const ip = address.includes(':') ? `[${address}]` : address;
  return new Set([`http://${ip}:${port}`, `http://localhost:${port}`]);
}
