import { createHash } from 'node:crypto';
import { HostError } from '../errors.js';

/** Bytes received so far and the announced total (`null` when the server sent no length). */
export interface DownloadProgress {
  readonly received: number;
  readonly total: number | null;
}

/** How one HTTP download is bounded and observed. */
export interface DownloadOptions {
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

/** Throw `INSTALL_FAILED` unless the URL is http(s); other schemes (file:, data:) are refused. */
export function assertHttpUrl(url: URL, what: string, pluginId?: string): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HostError(
      'INSTALL_FAILED',
      `The URL of ${what} (${url.href}) is not http(s); only http and https are allowed.`,
      {
        ...(pluginId === undefined ? {} : { pluginId }),
      },
    );
  }
}

/**
 * GET a URL into memory with a size cap and a deadline, hashing as it streams. Network errors,
 * HTTP errors, oversize bodies and timeouts all throw `INSTALL_FAILED` (retryable where a retry
 * may help); nothing is written to disk here.
 */
export async function download(url: URL, options: DownloadOptions): Promise<Downloaded> {
  assertHttpUrl(url, options.what, options.pluginId);
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
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, { signal, redirect: 'follow' });
  } catch (e) {
    throw fail(`${reason(e)}. Check the address and your connection, then retry.`, true, e);
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
