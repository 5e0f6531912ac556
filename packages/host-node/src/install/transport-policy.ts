import { isIP } from 'node:net';
import { HostError } from '../errors.js';

/** Where install may download from. */
export interface TransportPolicy {
  /**
   * Allow plain `http:` to a loopback address (127.0.0.0/8, ::1, localhost) – for tests and local
   * index servers only. Default false: HTTPS only.
   */
  readonly allowLoopbackHttp?: boolean;
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (the URL's hostname, brackets included for IPv6). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Throw `INSTALL_FAILED` unless `url` may be fetched: `https:` always; `http:` only to a loopback
 * host and only with `allowLoopbackHttp`. The index, every config and every library travel this
 * way, because a checksum fetched over plain HTTP protects nothing.
 */
export function assertAllowedUrl(url: URL, what: string, policy: TransportPolicy, pluginId?: string): void {
  if (url.protocol === 'https:') return;
  const ids = pluginId === undefined ? {} : { pluginId };
  if (url.protocol === 'http:') {
    if (policy.allowLoopbackHttp === true && isLoopbackHost(url.hostname)) return;
    throw new HostError(
      'INSTALL_FAILED',
      `The URL of ${what} (${url.href}) uses plain http; install downloads only over https (the checksum would travel on the same unprotected channel). Publish the index, configs and libraries on https.`,
      { ...ids, detail: { url: url.href } },
    );
  }
  throw new HostError(
    'INSTALL_FAILED',
    `The URL of ${what} (${url.href}) is not https; only https is allowed.`,
    {
      ...ids,
      detail: { url: url.href },
    },
  );
}

/**
 * The target of a redirect, when install may follow it: same origin (scheme, host and port) as
 * the URL that was asked for, and itself allowed by the policy. Throws `INSTALL_FAILED` otherwise.
 */
export function redirectTarget(
  from: URL,
  location: string | null,
  what: string,
  policy: TransportPolicy,
  pluginId?: string,
): URL {
  const ids = pluginId === undefined ? {} : { pluginId };
  let to: URL;
  try {
    if (location === null) throw new Error('no Location header');
    to = new URL(location, from);
  } catch {
    throw new HostError(
      'INSTALL_FAILED',
      `Downloading ${what} from ${from.href} failed: a redirect without a valid Location.`,
      {
        ...ids,
        detail: { url: from.href },
      },
    );
  }
  if (to.origin !== from.origin) {
    throw new HostError(
      'INSTALL_FAILED',
      `Downloading ${what} from ${from.href} failed: the server redirects to another origin (${to.origin}); install follows redirects within one origin only.`,
      { ...ids, detail: { url: from.href, redirect: to.href } },
    );
  }
  assertAllowedUrl(to, what, policy, pluginId);
  return to;
}
