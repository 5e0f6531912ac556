import { type FrontendEvent, validators } from '@plugin-interfaces/spec';
import type { PluginHost } from '../../src/host/index.js';

/**
 * Record every event a host emits and check each one against the spec's FrontendEvent schema
 * (`invalid` collects the problems, so a test can assert it stays empty).
 */
export function recordEvents(host: PluginHost): { events: FrontendEvent[]; invalid: string[] } {
  const out = { events: [] as FrontendEvent[], invalid: [] as string[] };
  host.on('*', (e) => {
    out.events.push(e);
    if (!validators.frontendEvent.check(e)) out.invalid.push(...validators.frontendEvent.errors(e));
  });
  return out;
}

/** Wait until `check` returns a value other than undefined (polls every 5 ms up to `ms`). */
export async function waitFor<T>(check: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The next event named `name` (and matching `match`) the host emits; rejects after `ms`. Call it
 * before the action that causes the event, then await it after.
 */
export function nextEvent<N extends FrontendEvent['event']>(
  host: PluginHost,
  name: N,
  match: (e: Extract<FrontendEvent, { event: N }>) => boolean = () => true,
  ms = 5000,
): Promise<Extract<FrontendEvent, { event: N }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`nextEvent: no matching ${name} event within ${ms} ms`));
    }, ms);
    const off = host.on('*', (e) => {
      if (e.event !== name || !match(e as Extract<FrontendEvent, { event: N }>)) return;
      clearTimeout(timer);
      off();
      resolve(e as Extract<FrontendEvent, { event: N }>);
    });
  });
}
