import type { HostContext } from './context.js';
import type { HostDrivers } from './plugins/drivers.js';
import type { LibraryRegistry } from './plugins/libraries.js';
import { settle } from './settle.js';

/**
 * Shut a host down within `timeouts.close`: unload every instance, close the libraries, then the
 * drivers (the shared ones the host created, and custom ones it was given), and end the event
 * iterators. Whatever misses the deadline is abandoned and logged.
 */
export async function shutdown(
  ctx: HostContext,
  libraries: LibraryRegistry,
  drivers: HostDrivers,
  unload: (instanceId: string) => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + ctx.timeouts.close;
  const left = () => Math.max(0, deadline - Date.now());
  const ids = [...ctx.instances.keys()];
  if (!(await settle(Promise.allSettled(ids.map(unload)), left())))
    ctx.logger.log('error', 'close(): some instances did not dispose before the deadline.', {});
  if (!(await settle(libraries.closeAll(), left())))
    ctx.logger.log('error', 'close(): some libraries did not close before the deadline.', {});
  await drivers.close(left());
  for (const it of [...ctx.iterators]) it.end();
  ctx.emitter.clear();
}
