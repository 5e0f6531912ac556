import { type UiEvent, validators } from '@plugin-interfaces/spec';
import { HostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { applyStreamControl } from '../events/plugin-events.js';
import { callFailed } from './call-failed.js';
import { type HostInstance, implementsEntry } from './host-instance.js';
import { checkSettings, checkWidget } from './input-checks.js';
import { render } from './instance-ops.js';
import { assertAllowed } from './lifecycle.js';
import { keepSecrets, maskSecrets, redactError, secretValues } from './secrets.js';
import { isOpen } from './streams.js';

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
    // An ended stream is the host's to answer: the plugin is not asked, so a late resume or
    // cancel never shows up as a failed plugin call.
    const record = instance.streams.get(streamId);
    if (record !== undefined && !isOpen(record.state))
      throw new HostError(
        'STREAM_STATE',
        `Stream "${streamId}" of instance "${instance.id}" is ${record.state}; it cannot ${control === 'cancel' ? 'be cancelled' : control === 'pause' ? 'be paused' : 'be resumed'} any more.`,
        { ...ids, detail: { stream_id: streamId, state: record.state, control } },
      );
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
  const specs = instance.lib.config.settings;
  await instance.queue.run(async () => {
    assertAllowed(instance.state, 'settings', instance);
    // A secret sent back as its `{ secret: 'set' }` marker keeps the value the instance has.
    const checked = checkSettings(instance.lib, keepSecrets(specs, values, instance.settings));
    if (implementsEntry(instance, 'apply_settings')) {
      const outcome = await instance.driver!.sendJson('apply_settings', JSON.stringify(checked), {
        timeoutMs: ctx.timeouts.lifecycle,
      });
      if (!outcome.ok) {
        const error = callFailed(outcome, {
          pluginId: instance.pluginId,
          instanceId: instance.id,
          entry: 'apply_settings',
        });
        throw redactError(error, secretValues(specs, checked));
      }
    }
    instance.settings = checked;
  });
  return maskSecrets(specs, instance.settings);
}
