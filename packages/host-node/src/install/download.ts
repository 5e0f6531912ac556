import { createHash } from 'node:crypto';
import { LIMITS } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import { assertAllowedUrl, redirectTarget, type TransportPolicy } from './transport-policy.js';

/** Bytes received so far and the announced total (`null` when the server sent no length). */
export interface DownloadProgress {
  readonly received: number;
  readonly total: number | null;
}

/** How one HTTP download is bounded and observed. */
export interface DownloadOptions extends TransportPolicy {
  /** Replaces the global `fetch` (tests, proxies). */
  readonly fetch?: typeof globalThis.fetch;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** What is downloaded, for messages: "the plugin index", "the library of echo". */
  readonly what: string;
  readonly pluginId?: string;
}

/** A finished download held in memory, with its SHA-256 computed while it streamed in. */
export interface Downloaded {
  readonly bytes: Buffer;
  readonly sha256: string;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * GET a URL into memory with a size cap and a deadline, hashing as it streams. Only https (plain
 * http to loopback with `allowLoopbackHttp`); redirects are followed by hand, within the same
 * origin and at most `LIMITS.maxInstallRedirects` times. Network errors, HTTP errors, refused
 * URLs or redirects, oversize bodies and timeouts all throw `INSTALL_FAILED` (retryable where a
 * retry may help); nothing is written to disk here.
 */
export async function download(first: URL, options: DownloadOptions): Promise<Downloaded> {
  assertAllowedUrl(first, options.what, options, options.pluginId);
  let url = first;
  const ids = options.pluginId === undefined ? {} : { pluginId: options.pluginId };
  const fail = (why: string, retryable: boolean, cause?: unknown) =>
    new HostError('INSTALL_FAILED', `Downloading ${options.what} from ${url.href} failed: ${why}`, {
      ...ids,
      retryable,
      detail: { url: url.href },
      ...(cause === undefined ? {} : { cause }),
    });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const reason = (e: unknown) =>
    timeout.aborted ? `no answer within ${options.timeoutMs} ms` : e instanceof Error ? e.message : String(e);

  let response: Response;
  for (let hops = 0; ; hops++) {
    try {
      response = await (options.fetch ?? globalThis.fetch)(url, { signal, redirect: 'manual' });
    } catch (e) {
      throw fail(`${reason(e)}. Check the address and your connection, then retry.`, true, e);
    }
    if (!REDIRECT.has(response.status)) break;
    await response.body?.cancel().catch(() => undefined);
    if (hops >= LIMITS.maxInstallRedirects) {
      throw fail(`more than ${LIMITS.maxInstallRedirects} redirects (LIMITS.maxInstallRedirects).`, false);
    }
    url = redirectTarget(url, response.headers.get('location'), options.what, options, options.pluginId);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the server answered HTTP ${response.status} ${response.statusText}.`, response.status >= 500);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isSafeInteger(length) && length >= 0 ? length : null;
  const tooLarge = () => fail(`it is larger than the limit of ${options.maxBytes} bytes.`, false);
  if (total !== null && total > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }

  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let received = 0;
  options.onProgress?.({ received, total });
  if (response.body !== null) {
    const reader = response.body.getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        received += r.value.byteLength;
        if (received > options.maxBytes) throw tooLarge();
        hash.update(r.value);
        chunks.push(r.value);
        options.onProgress?.({ received, total });
      }
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      if (e instanceof HostError) throw e;
      throw fail(`the transfer broke off after ${received} bytes (${reason(e)}); retry.`, true, e);
    }
  }
  if (total !== null && received !== total) {
    throw fail(`received ${received} of ${total} announced bytes; retry.`, true);
  }
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}
