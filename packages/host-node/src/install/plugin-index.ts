import { LIMITS } from '@plugin-interfaces/spec';
import { isValidPluginId } from '../config/index.js';
import { HostError } from '../errors.js';
import { download } from './download.js';
import type { TransportPolicy } from './transport-policy.js';

/**
 * One plugin offered by an index. `configUrl` is absolute (resolved against the index URL).
 * `name` and `description` are optional display hints; the config is the source of truth.
 */
export interface IndexEntry {
  readonly id: string;
  readonly version: string;
  readonly configUrl: string;
  readonly name?: string;
  readonly description?: string;
}

/** A parsed plugin index: where it came from and what it offers (ids are unique). */
export interface PluginIndex {
  readonly url: string;
  readonly plugins: readonly IndexEntry[];
}

/** Bounds for fetching an index. */
export interface FetchIndexOptions extends TransportPolicy {
  readonly fetch?: typeof globalThis.fetch;
  /** Default `LIMITS.installIndexTimeoutMs` (10 s). */
  readonly timeoutMs?: number;
  /** Default `LIMITS.installIndexMaxBytes` (4 MiB). */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * Download and validate a plugin index. The index is JSON:
 *
 * ```json
 * { "plugins": [
 *   { "id": "echo", "version": "1.2.0", "config_url": "echo/config.toml",
 *     "name": "Echo", "description": "Replies with what you said." } ] }
 * ```
 *
 * `config_url` may be relative to the index URL; it points at the plugin's `config.toml`,
 * whose `[download.<platform>]` tables (`download_url`, relative to the config URL, and
 * `checksum`, the SHA-256 of the library) say what to fetch for each platform. Only https URLs
 * are fetched (plain http to loopback with `allowLoopbackHttp`), and redirects only within one
 * origin. A malformed index throws `INVALID_JSON`, a failed download `INSTALL_FAILED`.
 */
export async function fetchIndex(url: string | URL, options: FetchIndexOptions = {}): Promise<PluginIndex> {
  const at = new URL(url);
  const { bytes } = await download(at, {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.allowLoopbackHttp === undefined ? {} : { allowLoopbackHttp: options.allowLoopbackHttp }),
    maxBytes: options.maxBytes ?? LIMITS.installIndexMaxBytes,
    timeoutMs: options.timeoutMs ?? LIMITS.installIndexTimeoutMs,
    what: 'the plugin index',
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new HostError(
      'INVALID_JSON',
      `The plugin index at ${at.href} is not valid JSON: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return parsePluginIndex(json, at.href);
}

/** Validate index JSON (see {@link fetchIndex}) and resolve its URLs against `url`. */
export function parsePluginIndex(json: unknown, url: string): PluginIndex {
  const bad = (why: string) =>
    new HostError('INVALID_JSON', `The plugin index at ${url} is malformed: ${why}. Fix the index file.`, {
      detail: { url },
    });
  const list = (json as { plugins?: unknown } | null)?.plugins;
  if (typeof json !== 'object' || json === null || !Array.isArray(list))
    throw bad('expected { "plugins": [...] }');
  const seen = new Set<string>();
  const plugins = list.map((raw: unknown, i): IndexEntry => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const where = `plugins[${i}]`;
    if (!isValidPluginId(e.id)) throw bad(`${where}.id must be a valid plugin id`);
    if (seen.has(e.id)) throw bad(`${where}.id "${e.id}" appears twice`);
    seen.add(e.id);
    if (typeof e.version !== 'string' || e.version === '') throw bad(`${where}.version must be a string`);
    if (typeof e.config_url !== 'string' || e.config_url === '')
      throw bad(`${where}.config_url must be a string`);
    let configUrl: string;
    try {
      configUrl = new URL(e.config_url, url).href;
    } catch {
      throw bad(`${where}.config_url is not a URL`);
    }
    const entry: { -readonly [K in keyof IndexEntry]: IndexEntry[K] } = {
      id: e.id,
      version: e.version,
      configUrl,
    };
    if (typeof e.name === 'string') entry.name = e.name;
    if (typeof e.description === 'string') entry.description = e.description;
    return entry;
  });
  return { url, plugins };
}
