import type { BridgeRequest, BridgeResultOf, ErrorInfo } from '@plugin-interfaces/spec';
import { HostError, toHostError } from '../errors.js';
import type { BridgeHost } from './host-port.js';

/** Run one validated request against the host; resolves with the JSON-safe result value. */
export async function runRequest(host: BridgeHost, req: BridgeRequest): Promise<unknown> {
  const value = await call(host, req);
  return value === undefined ? null : value;
}

function call(host: BridgeHost, req: BridgeRequest): unknown {
  switch (req.op) {
    case 'snapshot':
      return host.snapshot();
    case 'rescan':
      return host.rescan();
    case 'load':
      return req.instance_id === undefined && req.settings === undefined
        ? host.load(req.plugin_id)
        : host.load(req.plugin_id, {
            ...(req.instance_id === undefined ? {} : { instanceId: req.instance_id }),
            ...(req.settings === undefined ? {} : { settings: req.settings }),
          });
    case 'unload':
      return host.unload(req.instance_id);
    case 'reload':
      return host.reload(req.plugin_id);
    case 'connect':
      return host.connect(req.instance_id);
    case 'disconnect':
      return host.disconnect(req.instance_id);
    case 'send_message':
      return sendMessage(host, req.instance_id, req.message);
    case 'history':
      return host.history(req.instance_id, {
        ...(req.before === undefined ? {} : { before: req.before }),
        ...(req.limit === undefined ? {} : { limit: req.limit }),
      });
    case 'clear_history':
      if (host.clearHistory === undefined)
        throw new HostError('UNSUPPORTED', "This host cannot clear an instance's history.");
      return host.clearHistory(req.instance_id);
    case 'ui_event':
      return host.dispatchUiEvent(req.instance_id, req.event);
    case 'stream_control':
      return host.controlStream(req.instance_id, req.stream_id, req.control);
    case 'process_info':
      if (host.processInfo === undefined)
        throw new HostError('UNSUPPORTED', 'This host does not report plugin processes.');
      return host.processInfo();
    case 'set_app_config':
      return host.setAppConfig(req.key, req.value);
    case 'set_settings':
      return host.setSettings(req.instance_id, req.settings);
  }
}

/** The host's `{ requestId, reply }` in the bridge's wire names. */
async function sendMessage(
  host: BridgeHost,
  instanceId: string,
  text: string,
): Promise<BridgeResultOf<'send_message'>> {
  const r = (await host.handleMessage(instanceId, text)) as {
    readonly requestId: string;
    readonly reply: string | null;
  };
  return { request_id: r.requestId, reply: r.reply };
}

/** The error info a failed request reports: the HostError's own, or INTERNAL for anything else. */
export function errorInfoOf(e: unknown): ErrorInfo {
  return toHostError(e).toInfo();
}
