import { PluginClientError } from './errors.js';

/** Lifecycle states, in the words a person using the page would use. */
const STATE_WORDS: Readonly<Record<string, string>> = {
  created: 'not started yet',
  mounted: 'not connected',
  disconnected: 'disconnected',
  crashed: 'crashed',
  disabled: 'disabled after repeated crashes',
  destroyed: 'unloaded',
};

/** API hints in host messages that only make sense to a programmer calling the host. */
const API_HINTS = /\s*Call [a-z_]+\(\) first\.?/g;

/**
 * What went wrong, in the terms of the page rather than of the host API: a message refused
 * because the instance is not connected says to press Connect; a lost connection says the page
 * is reconnecting; anything else is the host's message without programmer hints.
 */
export function userMessage(error: unknown): string {
  if (error instanceof PluginClientError) {
    if (error.reason === 'disconnected')
      return 'The connection to the plugin host was lost before it answered; the page reconnects by itself.';
    if (error.reason === 'closed') return 'The page is no longer connected to the plugin host.';
    const detail = error.detail as { state?: unknown; op?: unknown } | undefined;
    if (error.code === 'LIFECYCLE_ORDER' && typeof detail?.state === 'string') {
      const state = STATE_WORDS[detail.state] ?? detail.state;
      if (detail.op === 'message') return `This instance is ${state}: press Connect, then send again.`;
      return `This instance is ${state}, so that is not possible now.`;
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(API_HINTS, '').trim();
}
