import { tryParseJson } from '@plugin-interfaces/spec';
import koffi from 'koffi';
import { abiTypes, type PiErrorValue, PiStatus } from '../../generated/abi.js';
import { CallFlag } from '../../generated/runtime.js';
import { statusName } from '../../pi-status.js';
import type { CallOutcome } from '../types.js';

type Failure = Extract<CallOutcome, { ok: false }>;

/** A failure outcome built by the host (not from the plugin's error envelope). */
export function hostFailure(status: number, message: string): Failure {
  return { ok: false, status, message, detailJson: '', retryable: false };
}

/**
 * Decode the PiError the plugin filled for a failed call. Only trusted as far as it goes: a code
 * that is not a known status, a missing message or detail that is not JSON are replaced.
 */
export function decodeFailure(errPtr: bigint, status: number, entry: string, flags: number): Failure {
  if ((flags & CallFlag.BAD_STATUS) !== 0)
    return hostFailure(
      PiStatus.INTERNAL,
      `${entry} returned ${statusName(status)}, which is not a PiStatus.`,
    );
  const err = koffi.decode(errPtr, abiTypes().PiError) as PiErrorValue;
  const message = err.message.trim() || `${entry} returned ${statusName(status)}.`;
  const detail = err.detail_json.trim();
  const detailJson = detail !== '' && tryParseJson(detail).ok ? detail : '';
  return { ok: false, status, message, detailJson, retryable: err.retryable !== 0 };
}
