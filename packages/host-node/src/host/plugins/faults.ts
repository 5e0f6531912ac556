import type { LifecycleState } from '@plugin-interfaces/spec';
import type { DriverFault } from '../../driver/types.js';
import { HostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import type { HostInstance } from '../instance/host-instance.js';
import type { LoadedLibrary } from './libraries.js';

const GONE: readonly LifecycleState[] = ['disposed', 'destroyed'];

/**
 * What the host does with a supervision event of an out-of-process driver:
 * - `crashed`: every instance of the library goes to `crashed` with a PLUGIN_CRASHED error
 *   naming the signal or exit code and the call in flight; its unanswered requests are
 *   rejected and its open streams end with an error. History is kept.
 * - `restarted`: the re-created instances run their lifecycle again (see `instance/recover.ts`); those
 *   the driver could not re-create stay `crashed`.
 * - `disabled`: every instance goes to `disabled` with PLUGIN_DISABLED_AFTER_CRASHES.
 * Only `unload` (and `reload` of the plugin) is allowed in `crashed` and `disabled`.
 */
export function handleFault(ctx: HostContext, lib: LoadedLibrary, fault: DriverFault): void {
  const pluginId = lib.plugin.id;
  switch (fault.kind) {
    case 'crashed': {
      const next =
        fault.restartInMs === null
          ? 'It will not be restarted.'
          : `Restarting in ${fault.restartInMs} ms (crash ${fault.crashCount}).`;
      for (const instance of instancesOf(ctx, lib)) {
        const error = new HostError('PLUGIN_CRASHED', `${fault.message} ${next}`, {
          pluginId,
          instanceId: instance.id,
          retryable: fault.restartInMs !== null,
          detail: {
            cause: fault.cause,
            signal: fault.signal,
            exitCode: fault.exitCode,
            inFlight: [...fault.inFlight],
            crashCount: fault.crashCount,
            restartInMs: fault.restartInMs,
          },
        });
        instance.goDown('crashed', error);
      }
      return;
    }
    case 'restarted': {
      for (const id of fault.instanceIds) {
        const instance = ctx.instances.get(id);
        if (instance?.lib === lib && instance.state === 'crashed')
          instance
            .recover()
            .catch((e: unknown) =>
              ctx.log('error', `Recovery after the restart failed: ${String(e)}`, instance),
            );
      }
      for (const id of fault.failedInstanceIds) {
        const instance = ctx.instances.get(id);
        if (instance?.lib !== lib || GONE.includes(instance.state)) continue;
        const error = new HostError(
          'PLUGIN_CRASHED',
          `Plugin "${pluginId}" restarted after a crash, but instance "${id}" could not be re-created; unload it or reload the plugin.`,
          { pluginId, instanceId: id },
        );
        instance.goDown('crashed', error);
      }
      return;
    }
    case 'disabled': {
      for (const instance of instancesOf(ctx, lib)) {
        const error = new HostError(
          'PLUGIN_DISABLED_AFTER_CRASHES',
          `${fault.message} Call reload("${pluginId}") after fixing it, or unload the instance.`,
          { pluginId, instanceId: instance.id, detail: { crashCount: fault.crashCount } },
        );
        instance.goDown('disabled', error);
      }
      return;
    }
  }
}

/** The instances of a library that still exist on the host side. */
function instancesOf(ctx: HostContext, lib: LoadedLibrary): HostInstance[] {
  return [...lib.instances]
    .map((id) => ctx.instances.get(id))
    .filter((i): i is HostInstance => i?.lib === lib && !GONE.includes(i.state));
}
