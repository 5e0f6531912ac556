import { toHostError } from '../errors.js';
import type { HostContext } from './context.js';
import type { HostInstance } from './instance.js';
import { render } from './instance-ops.js';

/**
 * Coalesce refresh requests (after messages, connects, `request_refresh`): one re-render is
 * queued no matter how many requests arrive; instances that cannot render are skipped.
 */
export function scheduleRefresh(ctx: HostContext, instance: HostInstance): void {
  if (instance.refreshScheduled) return;
  instance.refreshScheduled = true;
  instance.queue
    .run(async () => {
      instance.refreshScheduled = false;
      if (['mounted', 'connected', 'disconnected'].includes(instance.state)) await render(ctx, instance, []);
    })
    .catch((e: unknown) => ctx.log('warn', `Refresh failed: ${toHostError(e).message}`, instance));
}
