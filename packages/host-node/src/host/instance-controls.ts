import { type UiEvent, validators } from '@plugin-interfaces/spec';
import { HostError } from '../errors.js';
import type { HostContext } from './context.js';
import { checkSettings, checkWidget } from './input-checks.js';
import { type HostInstance, implementsEntry } from './instance.js';
import { render } from './instance-ops.js';
import { assertAllowed } from './lifecycle.js';
import { applyStreamControl } from './plugin-events.js';
import { callFailed } from './status.js';

/** Feed a frontend UI event into the next frame; UI_EVENT_INVALID for a widget not in the current frame. */
export async function dispatchUiEvent(
  ctx: HostContext,
  instance: HostInstance,
  event: UiEvent,
): Promise<void> {
  if (!validators.uiEvent.check(event))
    throw new HostError(
      'UI_EVENT_INVALID',
      `Malformed UI event: ${validators.uiEvent.errors(event).join('; ')}`,
      {
        pluginId: instance.pluginId,
        instanceId: instance.id,
      },
    );
  await instance.queue.run(async () => {
    assertAllowed(instance.state, 'render', instance);
    checkWidget(instance, event);
    await render(ctx, instance, [event]);
  });
}

/** Pause, resume or cancel a stream on behalf of the user; the plugin is told. */
export async function controlStream(
  ctx: HostContext,
  instance: HostInstance,
  streamId: string,
  control: 'pause' | 'resume' | 'cancel',
): Promise<void> {
  const ids = { pluginId: instance.pluginId, instanceId: instance.id };
  if (!instance.streams.has(streamId))
    throw new HostError('STREAM_STATE', `Instance "${instance.id}" has no stream "${streamId}".`, ids);
  await instance.queue.run(async () => {
    assertAllowed(instance.state, 'stream-control', instance);
    const outcome = await instance.driver!.controlStream(streamId, control);
    if (!outcome.ok) {
      const error = callFailed(outcome, { ...ids, entry: 'on_stream_control' });
      throw new HostError('STREAM_STATE', error.message, { ...ids, detail: error.detail });
    }
    applyStreamControl(ctx, instance, streamId, control, 'user');
  });
}

/** Validate settings against the plugin's `[settings]`, then apply_settings. */
export async function setSettings(
  ctx: HostContext,
  instance: HostInstance,
  values: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const checked = checkSettings(instance.lib, values);
  await instance.queue.run(async () => {
    assertAllowed(instance.state, 'settings', instance);
    if (implementsEntry(instance, 'apply_settings')) {
      const outcome = await instance.driver!.sendJson('apply_settings', JSON.stringify(checked), {
        timeoutMs: ctx.timeouts.lifecycle,
      });
      if (!outcome.ok)
        throw callFailed(outcome, {
          pluginId: instance.pluginId,
          instanceId: instance.id,
          entry: 'apply_settings',
        });
    }
    instance.settings = checked;
  });
  return { ...checked };
}
