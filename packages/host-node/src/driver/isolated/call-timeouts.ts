import type { CallOptions } from '../types.js';
import type { OpName } from './ipc-protocol.js';

/**
 * Deadline of every call into a plugin process, per entry point. A call whose deadline passes
 * means the process is stuck inside native code: the driver kills it (SIGKILL) and restarts it.
 */
export type CallTimeouts = { readonly [K in OpName]: number };

/** The isolated driver's default deadline per call (override with `IsolatedDriverOptions.timeouts`). */
export const ISOLATION_TIMEOUTS: CallTimeouts = {
  load: 10_000,
  create: 5_000,
  lifecycle: 5_000,
  updateUi: 2_000,
  handleMessage: 30_000,
  sendJson: 5_000,
  controlStream: 5_000,
  destroy: 5_000,
  closeLibrary: 5_000,
  ping: 2_000,
};

/** The deadline of one call: the per-call option wins over the per-entry default. */
export function timeoutFor(op: OpName, defaults: CallTimeouts, options: CallOptions | undefined): number {
  const t = options?.timeoutMs;
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : defaults[op];
}

/**
 * How long the parent waits past the deadline before it kills the child: the child applies the
 * same deadline itself (and answers TIMEOUT when it can), so the kill is for a child that cannot.
 */
export const KILL_GRACE_MS = 50;
