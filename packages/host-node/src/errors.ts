import { type ErrorCode, type ErrorInfo, errorCodes } from '@plugin-interfaces/spec';

/** Where an error points: a file, and a line/column inside it when known. */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface HostErrorOptions {
  readonly pluginId?: string;
  readonly instanceId?: string;
  readonly location?: ErrorLocation;
  readonly detail?: unknown;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * The one error class of host-node. `code` is a stable spec error code; the message says what
 * happened, to which plugin or file, and what to do about it.
 */
export class HostError extends Error {
  readonly code: ErrorCode;
  readonly pluginId: string | undefined;
  readonly instanceId: string | undefined;
  readonly location: ErrorLocation | undefined;
  readonly detail: unknown;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: HostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HostError';
    this.code = code;
    this.pluginId = options.pluginId;
    this.instanceId = options.instanceId;
    this.location = options.location;
    this.detail = options.detail;
    this.retryable = options.retryable ?? false;
  }

  /** The error as it travels in events and bridge frames. */
  toInfo(): ErrorInfo {
    const info: { code: string; message: string; retryable?: boolean; detail?: unknown } = {
      code: this.code,
      message: this.message,
    };
    if (this.retryable) info.retryable = true;
    if (this.detail !== undefined) info.detail = this.detail;
    return info;
  }
}

/** True for a HostError (optionally with the given code). */
export function isHostError(e: unknown, code?: ErrorCode): e is HostError {
  return e instanceof HostError && (code === undefined || e.code === code);
}

/** Wrap anything thrown into a HostError, keeping HostErrors as they are. */
export function toHostError(e: unknown, fallback: ErrorCode = 'INTERNAL'): HostError {
  if (e instanceof HostError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new HostError(fallback, `${errorCodes[fallback]} ${message}`, { cause: e });
}
