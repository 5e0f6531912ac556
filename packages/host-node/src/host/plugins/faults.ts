import type { LifecycleState } from '@plugin-interfaces/spec';
import type { DriverFault } from '../../driver/types.js';
import { HostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { endOpenStreams } from '../events/plugin-events.js';
import type { HostInstance, LoadedLibrary } from '../instance/host-instance.js';
import { recoverInstance } from '../instance/recover.js';

const LIVE: readonly LifecycleState[] = ['mounted', 'connected', 'disconnected'];
const GONE: readonly LifecycleState[] = ['disposed', 'destroyed'];

/**
 * What the host does with a supervision event of an out-of-process driver:
 * - `crashed`: every instance of the library goes to `crashed` with a PLUGIN_CRASHED error
 *   naming the signal or exit code and the call in flight; its unanswered requests are
 *   rejected and its open streams end with an error. History is kept.
 * - `restarted`: the re-created instances run their lifecycle again (see `recover.ts`); those
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
        goDown(ctx, instance, 'crashed', error);
      }
      return;
    }
    case 'restarted': {
      for (const id of fault.instanceIds) {
        const instance = ctx.instances.get(id);
        if (instance?.lib === lib && instance.state === 'crashed')
          recoverInstance(ctx, instance).catch((e: unknown) =>
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
        goDown(ctx, instance, 'crashed', error);
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
        goDown(ctx, instance, 'disabled', error);
      }
      return;
    }
  }
}

/** The instances of a library that still exist on the host side. */
function instancesOf(ctx: HostContext, lib: LoadedLibrary): HostInstance[] {
  return [...lib.instances]
    .map((id) => ctx.instances.get(id))
    .filter((i): i is HostInstance => i?.lib === lib && i.driver !== null && !GONE.includes(i.state));
}

/**
 * Put an instance into `crashed` or `disabled`: remember the live state for the restart,
 * reject waiting requests, end open streams with the error, and emit plugin-status.
 */
function goDown(
  ctx: HostContext,
  instance: HostInstance,
  state: 'crashed' | 'disabled',
  error: HostError,
): void {
  if (LIVE.includes(instance.state)) instance.resumeTo = instance.state as HostInstance['resumeTo'];
  instance.faultEpoch++;
  for (const p of instance.pending.values()) p.reject(error);
  instance.pending.clear();
  endOpenStreams(ctx, instance, error.message);
  ctx.log('error', error.message, instance, { code: error.code });
  ctx.setState(instance, state, error);
}
