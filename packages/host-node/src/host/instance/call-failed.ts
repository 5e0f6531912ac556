import type { CallOutcome } from '../../driver/types.js';
import { HostError } from '../../errors.js';
import { statusName } from '../../pi-status.js';

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
