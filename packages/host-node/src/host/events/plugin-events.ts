import { tryParseJson } from '@plugin-interfaces/spec';
import type { PluginEvent } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import { PiStatus, statusName } from '../../pi-status.js';
import type { HostContext } from '../context.js';
import type { HostInstance } from '../instance/host-instance.js';
import { replyEntry } from '../instance/messages.js';
import { redact, redactFor, secretValues } from '../instance/secrets.js';
import { chunkEvent } from './chunk-event.js';

/**
 * Turn a batch of plugin events into history, stream state and frontend events, in order.
 * Each event is handled on its own: one bad event never loses the ones after it.
 */
export function applyPluginEvents(
  ctx: HostContext,
  instance: HostInstance,
  events: readonly PluginEvent[],
): void {
  // One timestamp for the batch: its events arrived together.
  const now = Date.now();
  for (const event of events) {
    try {
      applyOne(ctx, instance, instance.streamAliases.size === 0 ? event : shownIds(instance, event), now);
    } catch (e) {
      ctx.log('error', `Handling the plugin's ${event.kind} event failed (host bug): ${String(e)}`, instance);
    }
  }
  ctx.grantOwed();
}

/** A stream event with the id its stream is shown under (see `HostInstance.publicStreamId`). */
function shownIds(instance: HostInstance, event: PluginEvent): PluginEvent {
  switch (event.kind) {
    case 'stream_data':
    case 'stream_end':
    case 'stream_pause':
    case 'stream_resume':
    case 'stream_cancel': {
      const shown = instance.streamAliases.get(event.streamId);
      return shown === undefined ? event : { ...event, streamId: shown };
    }
    default:
      return event;
  }
}

function applyOne(ctx: HostContext, instance: HostInstance, event: PluginEvent, now: number): void {
  switch (event.kind) {
    case 'message': {
      instance.history.add('plugin', event.content, event.messageType);
      const messageId = instance.history.newestId();
      ctx.emit({
        event: 'plugin-message',
        payload: {
          ...instance.who(),
          message_type: event.messageType,
          message_id: messageId,
          content: event.content,
        },
      });
      return;
    }
    case 'reply': {
      const pending = replyEntry(instance, event.requestId);
      if (pending === undefined) {
        const n = instance.dropped('reply');
        if (n !== null)
          ctx.log(
            'warn',
            `Dropped a reply to request ${event.requestId}: it was answered, timed out or cancelled${n > 1 ? ` (${n} replies dropped so far)` : ''}.`,
            instance,
          );
        return;
      }
      instance.pending.delete(event.requestId);
      if (event.status === PiStatus.OK) pending.resolve(event.content);
      else
        pending.reject(
          new HostError(
            'PLUGIN_CALL_FAILED',
            `handle_message of plugin "${instance.pluginId}" (instance "${instance.id}") failed with ${statusName(event.status)}: ${event.content ?? ''}`,
            {
              pluginId: instance.pluginId,
              instanceId: instance.id,
              detail: { status: statusName(event.status), statusCode: event.status, entry: 'reply' },
            },
          ),
        );
      return;
    }
    case 'stream_start': {
      const shown = instance.publicStreamId(event.streamId);
      const driverId = shown === event.streamId ? undefined : event.streamId;
      const record = instance.streams.start(shown, event.title, driverId);
      instance.history.addStream(record);
      ctx.emit({
        event: 'plugin-stream',
        payload: {
          ...instance.who(),
          type: 'stream_start',
          data: { stream_id: shown, title: event.title },
        },
      });
      return;
    }
    case 'stream_data': {
      const record = instance.streams.takes(event.streamId);
      if (typeof record === 'string') {
        const n = instance.dropped('chunk');
        if (n !== null)
          ctx.log(
            'warn',
            `Dropped a chunk of stream ${event.streamId}: ${record}${n > 1 ? ` (${n} chunks dropped so far)` : ''}.`,
            instance,
          );
        // The chunk was counted against the producer's window: give its credit back all the same
        // (an ended stream's record still holds its driver id; otherwise the id is the driver's).
        ctx.credit(
          instance,
          record === 'ended'
            ? (instance.streams.get(event.streamId) ?? instance.strayCredit(event.streamId))
            : instance.strayCredit(event.streamId),
        );
        return;
      }
      instance.history.streamGrew(record, record.text.append(event.chunk));
      record.release ??= () => ctx.credit(instance, record);
      const built = chunkEvent(instance, record, event.chunk, event.seq, now);
      if (Array.isArray(built)) {
        ctx.dropInvalid('plugin-stream', built);
        record.release();
        return;
      }
      ctx.deliver(built, record.release);
      return;
    }
    case 'stream_end':
      endStream(ctx, instance, event.streamId, event.success, event.error);
      return;
    case 'stream_pause':
    case 'stream_resume':
    case 'stream_cancel': {
      const control =
        event.kind === 'stream_pause' ? 'pause' : event.kind === 'stream_resume' ? 'resume' : 'cancel';
      const by = event.kind === 'stream_cancel' ? event.by : 'plugin';
      applyStreamControl(ctx, instance, event.streamId, control, by);
      return;
    }
    case 'custom': {
      const parsed = tryParseJson(event.payloadJson);
      if (!parsed.ok) {
        reportViolation(ctx, instance, 'INVALID_JSON', `custom event "${event.event}": ${parsed.error}`);
        return;
      }
      ctx.emit({
        event: 'plugin-custom',
        payload: { ...instance.who(), event: event.event, payload: parsed.value },
      });
      return;
    }
    case 'log': {
      // A plugin logging its own API key must not put it into the host's logs or the frontend.
      const text = redact(event.text, secretValues(instance.lib.config.settings, instance.settings));
      ctx.log(event.level, text, instance, { source: 'plugin' });
      ctx.emit({ event: 'plugin-log', payload: { ...instance.who(), level: event.level, message: text } });
      return;
    }
    case 'request_refresh':
      instance.scheduleRefresh();
      return;
    case 'request_disconnect':
      ctx.emit({ event: 'plugin-disconnect-request', payload: instance.who() });
      if (instance.state === 'connected')
        instance
          .disconnect()
          .catch((e: unknown) =>
            ctx.log('warn', `Disconnect on request failed: ${toHostError(e).message}`, instance),
          );
      return;
    case 'violation':
      reportViolation(ctx, instance, event.code, event.message);
      return;
  }
}

/**
 * Apply a pause/resume/cancel to the host's stream mirror and emit it, once: a control the host
 * already applied (because it asked the driver) is not reported again when the driver echoes it.
 */
export function applyStreamControl(
  ctx: HostContext,
  instance: HostInstance,
  streamId: string,
  control: 'pause' | 'resume' | 'cancel',
  by: 'plugin' | 'user' | 'host',
): void {
  const record = instance.streams.control(streamId, control);
  if (record === undefined) return;
  const base = instance.who();
  const stream_id = streamId;
  if (control === 'cancel')
    ctx.emit({
      event: 'plugin-stream',
      payload: { ...base, type: 'stream_cancel', data: { stream_id, by } },
    });
  else
    ctx.emit({
      event: 'plugin-stream',
      payload: { ...base, type: control === 'pause' ? 'stream_pause' : 'stream_resume', data: { stream_id } },
    });
}

/** End one open stream and emit `stream_end` (nothing happens for an unknown or ended stream). */
function endStream(
  ctx: HostContext,
  instance: HostInstance,
  streamId: string,
  success: boolean,
  error: string | null,
): void {
  const record = instance.streams.end(streamId, success, error);
  if (record === undefined) return;
  ctx.emit({
    event: 'plugin-stream',
    payload: {
      ...instance.who(),
      type: 'stream_end',
      data: { stream_id: streamId, success, error: success ? null : record.error },
    },
  });
}

/**
 * End every open stream of an instance with `stream_end` (success false) carrying `reason`:
 * an unload, reload, crash or disable never leaves a listener with a stream that stays active.
 */
export function endOpenStreams(ctx: HostContext, instance: HostInstance, reason: string): void {
  for (const id of instance.streams.openIds()) endStream(ctx, instance, id, false, reason);
}

function reportViolation(ctx: HostContext, instance: HostInstance, code: string, message: string): void {
  const text = redactFor(instance, `Plugin call refused (${code}): ${message}`);
  ctx.log('error', text, instance, { code });
  ctx.emit({ event: 'plugin-log', payload: { ...instance.who(), level: 'error', message: text } });
}
