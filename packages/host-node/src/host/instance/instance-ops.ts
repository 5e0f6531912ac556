import type { UiEvent } from '@plugin-interfaces/spec';
import type { CallOutcome, DriverInstance, LifecycleEntry } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import { PiStatus } from '../../pi-status.js';
import { type HostContext, who } from '../context.js';
import { endOpenStreams } from '../events/plugin-events.js';
import { callFailed } from './call-failed.js';
import { type HostInstance, implementsEntry } from './host-instance.js';
import { assertAllowed } from './lifecycle.js';
import { scrubError } from './secrets.js';

/** The driver instance, which exists once the record is visible to callers. */
function drv(instance: HostInstance) {
  if (instance.driver === null)
    throw new HostError('INTERNAL', `Instance "${instance.id}" has no driver instance yet.`);
  return instance.driver;
}

/** Call a lifecycle entry when the plugin implements it; a missing entry counts as success. */
export async function callLifecycle(
  ctx: HostContext,
  instance: HostInstance,
  entry: LifecycleEntry,
): Promise<CallOutcome> {
  if (!implementsEntry(instance, entry)) return { ok: true };
  return drv(instance).lifecycle(entry, { timeoutMs: ctx.timeouts.lifecycle });
}

function failure(instance: HostInstance, entry: string, outcome: CallOutcome): HostError | null {
  return outcome.ok
    ? null
    : callFailed(outcome, { pluginId: instance.pluginId, instanceId: instance.id, entry });
}

/**
 * Record a frame. `events` become the widgets' return values in this frame. The new tree is
 * kept, the revision bumped and plugin-ui-updated emitted; a failed frame keeps the old tree.
 */
export async function render(
  ctx: HostContext,
  instance: HostInstance,
  events: readonly UiEvent[],
): Promise<void> {
  assertAllowed(instance.state, 'render', instance);
  if (!implementsEntry(instance, 'update_ui')) return;
  let outcome: Awaited<ReturnType<DriverInstance['updateUi']>>;
  try {
    outcome = await drv(instance).updateUi(events, { timeoutMs: ctx.timeouts.updateUi });
  } catch (e) {
    // A refused frame (UI_TREE_INVALID past the widget limits), a timeout or a closed driver is
    // a plugin fault like a failed call: the frontend hears about it the same way.
    throw frameFailed(ctx, instance, toHostError(e));
  }
  if (!outcome.ok)
    throw frameFailed(
      ctx,
      instance,
      callFailed(outcome, { pluginId: instance.pluginId, instanceId: instance.id, entry: 'update_ui' }),
    );
  const cleared = instance.error !== undefined && instance.errorFromFrame;
  if (cleared) {
    instance.error = undefined;
    instance.errorFromFrame = false;
  }
  instance.tree = outcome.tree;
  instance.revision++;
  ctx.emit({
    event: 'plugin-ui-updated',
    payload: { ...who(instance), revision: instance.revision, tree: outcome.tree },
  });
  if (cleared) ctx.emit({ event: 'plugin-status', payload: { ...who(instance), state: instance.state } });
}

/** Report a failed frame: logged, on the instance (`error`), and as a plugin-log error line. */
function frameFailed(ctx: HostContext, instance: HostInstance, failure: HostError): HostError {
  const error = scrubError(instance, failure);
  ctx.log('error', error.message, instance, { code: error.code });
  instance.error = error.toInfo();
  instance.errorFromFrame = true;
  ctx.emit({ event: 'plugin-log', payload: { ...who(instance), level: 'error', message: error.message } });
  ctx.emit({
    event: 'plugin-status',
    payload: { ...who(instance), state: instance.state, error: error.toInfo() },
  });
  return error;
}

/**
 * on_mount, then the first frame. A failed on_mount disposes and destroys the instance (no
 * update_ui runs) and rethrows; a failed first frame is logged and leaves an empty tree.
 */
export async function mount(ctx: HostContext, instance: HostInstance): Promise<void> {
  assertAllowed(instance.state, 'mount', instance);
  let error: HostError | null;
  try {
    error = failure(instance, 'on_mount', await callLifecycle(ctx, instance, 'on_mount'));
  } catch (e) {
    error = toHostError(e); // a timeout or a closed driver keeps its own code
  }
  if (error !== null) {
    await teardown(ctx, instance, error);
    throw error;
  }
  ctx.setState(instance, 'mounted');
  await render(ctx, instance, []).catch(() => undefined);
}

export async function connect(ctx: HostContext, instance: HostInstance): Promise<void> {
  assertAllowed(instance.state, 'connect', instance);
  const error = failure(instance, 'on_connect', await callLifecycle(ctx, instance, 'on_connect'));
  if (error !== null) throw error;
  ctx.setState(instance, 'connected');
}

/** on_disconnect; the instance counts as disconnected even when the plugin fails it (then it throws). */
export async function disconnect(ctx: HostContext, instance: HostInstance): Promise<void> {
  assertAllowed(instance.state, 'disconnect', instance);
  const outcome = await callLifecycle(ctx, instance, 'on_disconnect').catch(rethrowAsOutcome);
  const error = failure(instance, 'on_disconnect', outcome);
  ctx.setState(instance, 'disconnected', error ?? undefined);
  if (error !== null) throw error;
}

/**
 * Take an instance down from any state: on_disconnect when connected, on_dispose when live,
 * then destroy. Failures are logged, never stop the next step; unanswered requests are rejected.
 */
export async function teardown(ctx: HostContext, instance: HostInstance, cause?: HostError): Promise<void> {
  const step = async (entry: LifecycleEntry) => {
    const error = failure(instance, entry, await callLifecycle(ctx, instance, entry).catch(rethrowAsOutcome));
    if (error !== null) ctx.log('warn', error.message, instance);
  };
  if (instance.state === 'connected') {
    await step('on_disconnect');
    ctx.setState(instance, 'disconnected');
  }
  if (['created', 'mounted', 'disconnected'].includes(instance.state)) {
    await step('on_dispose');
    ctx.setState(instance, 'disposed', cause);
  }
  for (const p of instance.pending.values())
    p.reject(
      new HostError(
        'CANCELLED',
        `Instance "${instance.id}" was unloaded before it answered request ${p.requestId}.`,
        {
          pluginId: instance.pluginId,
          instanceId: instance.id,
        },
      ),
    );
  instance.pending.clear();
  endOpenStreams(
    ctx,
    instance,
    cause?.message ?? `Instance "${instance.id}" was unloaded while the stream was open.`,
  );
  try {
    await drv(instance).destroy({ timeoutMs: ctx.timeouts.destroy });
  } catch (e) {
    ctx.log('error', `destroy failed: ${toHostError(e).message}`, instance);
  }
  ctx.setState(instance, 'destroyed', cause);
}

/** A driver that throws (timeout, closed…) is treated like a failed call with that error. */
function rethrowAsOutcome(e: unknown): CallOutcome {
  const error = toHostError(e);
  return {
    ok: false,
    status: PiStatus.ERROR,
    message: `${error.code}: ${error.message}`,
    detailJson: '',
    retryable: false,
  };
}
