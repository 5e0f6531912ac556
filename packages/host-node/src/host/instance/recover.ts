import type { CallOutcome } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { callFailed } from './call-failed.js';
import type { HostInstance } from './host-instance.js';
import { historyJson } from './messages.js';

/**
 * Bring a crashed instance back after its driver re-created it in a new process (same id, same
 * metadata): on_mount, apply_settings when the settings changed since creation, on_connect when
 * it was connected before the crash, set_history with the kept history when the plugin requires
 * it, then a frame. Runs on the instance queue; a crash in between wins (the recovery stops).
 * A failed on_mount leaves the instance `crashed` with that error; a failed on_connect or
 * set_history leaves it `mounted` with the error (connect() may be tried again).
 */
export async function recoverInstance(ctx: HostContext, instance: HostInstance): Promise<void> {
  const epoch = instance.faultEpoch;
  const target = instance.resumeTo;
  if (target === null) return;
  const stale = () => instance.faultEpoch !== epoch || instance.state === 'destroyed';
  const site = (entry: string) => ({ pluginId: instance.pluginId, instanceId: instance.id, entry });
  const check = (entry: string, outcome: CallOutcome): void => {
    if (!outcome.ok) throw callFailed(outcome, site(entry));
  };
  const timeout = { timeoutMs: ctx.timeouts.lifecycle };
  await instance.queue.run(async () => {
    if (stale() || instance.state !== 'crashed') return;
    try {
      check('on_mount', await instance.callLifecycle('on_mount'));
      const settings = JSON.stringify(instance.settings);
      if (settings !== instance.createdSettingsJson && instance.implements('apply_settings'))
        check('apply_settings', await instance.driver.sendJson('apply_settings', settings, timeout));
    } catch (e) {
      if (stale()) return;
      const error = new HostError(
        'PLUGIN_CRASHED',
        `Plugin "${instance.pluginId}" restarted after a crash, but instance "${instance.id}" failed to mount again: ${toHostError(e).message}`,
        { pluginId: instance.pluginId, instanceId: instance.id },
      );
      ctx.log('error', error.message, instance);
      instance.setState('crashed', error);
      return;
    }
    if (stale()) return;
    instance.error = undefined;
    instance.resumeTo = null;
    instance.setState('mounted');
    try {
      if (target === 'connected') {
        check('on_connect', await instance.callLifecycle('on_connect'));
        if (stale()) return;
        instance.setState('connected');
      }
      if (instance.lib.config.plugin.require_history === true && instance.implements('set_history'))
        check(
          'set_history',
          await instance.driver.sendJson('set_history', historyJson(ctx, instance), timeout),
        );
    } catch (e) {
      if (stale()) return;
      const error = toHostError(e);
      ctx.log('error', `After the restart: ${error.message}`, instance);
      instance.setState(instance.state, error);
    }
    if (stale()) return;
    await instance.render([]).catch(() => undefined);
    ctx.log('info', `Instance "${instance.id}" is back after a crash (${instance.state}).`, instance);
  });
}
