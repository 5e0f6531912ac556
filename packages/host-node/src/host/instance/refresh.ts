import { toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import type { HostInstance } from './host-instance.js';
import { render } from './instance-ops.js';

/** The refresh queued but not started yet, per instance (what a new request joins). */
const queued = new WeakMap<HostInstance, Promise<void>>();

/**
 * Coalesce refresh requests (after messages, connects, `request_refresh`): one re-render is
 * queued no matter how many requests arrive; instances that cannot render are skipped. The
 * promise resolves (never rejects) once that frame was recorded or failed.
 */
export function scheduleRefresh(ctx: HostContext, instance: HostInstance): Promise<void> {
  const pending = queued.get(instance);
  if (pending !== undefined) return pending;
  instance.refreshScheduled = true;
  const run = instance.queue
    .run(async () => {
      instance.refreshScheduled = false;
      queued.delete(instance);
      if (['mounted', 'connected', 'disconnected'].includes(instance.state)) await render(ctx, instance, []);
    }, 'frame')
    .catch((e: unknown) => ctx.log('warn', `Refresh failed: ${toHostError(e).message}`, instance));
  queued.set(instance, run);
  return run;
}

/** Draw a frame after everything queued so far (joining a refresh not started yet), and wait for it. */
export function refreshNow(ctx: HostContext, instance: HostInstance): Promise<void> {
  return scheduleRefresh(ctx, instance);
}
