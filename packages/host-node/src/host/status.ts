import { abi, enumValues } from '@plugin-interfaces/spec';
import type { CallOutcome } from '../driver/types.js';
import { HostError } from '../errors.js';

/** PiStatus values by name, read from the spec (never hand-written). */
export const PI_STATUS = enumValues(abi, 'PiStatus');

const byValue = new Map<number, string>(Object.entries(PI_STATUS).map(([k, v]) => [v, k]));

/** The PiStatus name of a value (`-5` → `PERMISSION_DENIED`), or `STATUS_<n>` for unknown values. */
export function statusName(status: number): string {
  return byValue.get(status) ?? `STATUS_${status}`;
}

/** The PiStatus value of a name; throws on a name the spec does not have (a host bug). */
export function status(name: string): number {
  const v = PI_STATUS[name];
  if (v === undefined) throw new HostError('INTERNAL', `PiStatus has no member ${name}.`);
  return v;
}

/** Who a failure belongs to, for messages. */
export interface CallSite {
  readonly pluginId: string;
  readonly instanceId: string;
  readonly entry: string;
}

function tryJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Turn a failed plugin call into `PLUGIN_CALL_FAILED`. The plugin's own message is kept verbatim
 * in the error message; `detail` carries the PiStatus name and the plugin's detail JSON.
 */
export function callFailed(outcome: Extract<CallOutcome, { ok: false }>, site: CallSite): HostError {
  const name = statusName(outcome.status);
  const pluginDetail = tryJson(outcome.detailJson);
  const detail: Record<string, unknown> = { status: name, statusCode: outcome.status, entry: site.entry };
  if (pluginDetail !== undefined) detail.plugin = pluginDetail;
  return new HostError(
    'PLUGIN_CALL_FAILED',
    `${site.entry} of plugin "${site.pluginId}" (instance "${site.instanceId}") failed with ${name}: ${outcome.message}`,
    { pluginId: site.pluginId, instanceId: site.instanceId, detail, retryable: outcome.retryable },
  );
}
