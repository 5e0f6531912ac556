import type { ErrorCode, ErrorInfo } from '@plugin-interfaces/spec';

/** Why a client request failed, beyond the spec's error code. */
export type PluginClientErrorReason = 'disconnected' | 'closed' | 'remote' | 'invalid-request' | 'bad-frame';

/**
 * The one error class of this package. `code` is a stable spec error code; `reason` says whether
 * the host refused the request (`remote`), the connection dropped before an answer arrived
 * (`disconnected`, safe to retry), the client was closed, or the request/frame was malformed.
 */
export class PluginClientError extends Error {
  override readonly name = 'PluginClientError';
  readonly code: ErrorCode | (string & {});
  readonly reason: PluginClientErrorReason;
  readonly retryable: boolean;
  readonly detail: unknown;

  constructor(
    reason: PluginClientErrorReason,
    code: ErrorCode | (string & {}),
    message: string,
    options: { retryable?: boolean; detail?: unknown } = {},
  ) {
    super(message);
    this.reason = reason;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.detail = options.detail;
  }

  /** Wrap an error the host sent in a `result` frame. */
  static fromRemote(error: ErrorInfo): PluginClientError {
    return new PluginClientError('remote', error.code, error.message, {
      retryable: error.retryable ?? false,
      detail: error.detail,
    });
  }
}

/** True when `value` is a {@link PluginClientError}. */
export function isPluginClientError(value: unknown): value is PluginClientError {
  return value instanceof PluginClientError;
}
