import { HostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { callFailed } from './call-failed.js';
import type { HostInstance } from './host-instance.js';
import { isAllowed } from './lifecycle.js';
import {
  awaitReply,
  historyJson,
  type MessageOrigin,
  recordFailure,
  recordIncoming,
  waitForReply,
} from './messages.js';

/** What a synchronous delivery did: the target's reply, or why it failed (recorded in its history). */
export type NowResult =
  | { readonly ok: true; readonly reply: string | null }
  | { readonly ok: false; readonly error: HostError };

/**
 * Deliver an inter-plugin message synchronously, for a caller on the event-loop thread (inside one
 * of its entry points) that cannot wait. Possible only when no exclusive job of the target's queue is running (it goes ahead of queued jobs) and its
 * driver runs calls synchronously (in-process); otherwise null, and nothing reached the target.
 * The history and events are those of `sendMessage`. A target that defers its reply (PENDING)
 * fails the call with LIFECYCLE_ORDER, since the caller cannot wait; its later reply still goes to
 * the target's history.
 */
export function sendMessageNow(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  origin: MessageOrigin,
): NowResult | null {
  if (instance.queue.exclusive || !isAllowed(instance.state, 'call') || !instance.callsNow) return null;
  let delivered: Delivered;
  try {
    delivered = deliverNow(ctx, instance, text, origin);
  } catch (e) {
    return { ok: false, error: recordFailure(ctx, instance, e) };
  }
  if (!(delivered instanceof Promise)) {
    if (delivered !== null) instance.history.add('plugin', delivered);
    return { ok: true, reply: delivered };
  }
  // Delivered, and the answer will come: not a failure of the target, only of this caller.
  keepLateReply(ctx, instance, origin, delivered);
  const error = new HostError(
    'LIFECYCLE_ORDER',
    `Instance "${instance.id}" deferred its answer, and a call_other_plugin made on the host thread cannot wait for it; call from a plugin thread to wait for deferred answers.`,
    { pluginId: instance.pluginId, instanceId: instance.id },
  );
  return { ok: false, error };
}

/** What handle_message answered: the reply (null: no text), or a deferred one (PENDING) to wait for. */
export type Delivered = string | null | Promise<string | null>;

/**
 * The steps of `sendMessage` run synchronously (the caller checked `instance.callsNow` and the queue): the
 * message goes to history, set_history when the plugin requires it, then handle_message. Throws
 * what failed (the caller records it).
 */
export function deliverNow(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  origin: MessageOrigin,
): Delivered {
  const driver = instance.driver;
  recordIncoming(ctx, instance, text, origin);
  if (instance.needsHistory) {
    const where = { pluginId: instance.pluginId, instanceId: instance.id };
    const sent = driver.sendJsonNow?.('set_history', historyJson(ctx, instance)) ?? null;
    if (sent === null)
      throw new HostError(
        'INTERNAL',
        `Instance "${instance.id}" stopped running calls synchronously.`,
        where,
      );
    if (!sent.ok) throw callFailed(sent, { ...where, entry: 'set_history' });
  }
  let outcome: ReturnType<NonNullable<typeof driver.handleMessageNow>>;
  instance.beginCall(origin);
  try {
    outcome = driver.handleMessageNow?.(origin.requestId, text) ?? null;
    if (outcome?.ok === true && outcome.pending) return awaitReply(instance, origin).promise();
  } finally {
    instance.endCall();
  }
  if (outcome === null)
    throw new HostError('INTERNAL', `Instance "${instance.id}" stopped running calls synchronously.`, {
      pluginId: instance.pluginId,
      instanceId: instance.id,
    });
  if (!outcome.ok)
    throw callFailed(outcome, {
      pluginId: instance.pluginId,
      instanceId: instance.id,
      entry: 'handle_message',
    });
  return outcome.reply;
}

/** A deferred reply nobody waits for still lands in the target's history (or its failure). */
function keepLateReply(
  ctx: HostContext,
  instance: HostInstance,
  origin: MessageOrigin,
  later: Promise<string | null>,
): void {
  waitForReply(instance, origin.requestId, later, Date.now() + ctx.timeouts.handleMessage, undefined).then(
    (reply) => {
      if (reply !== null) instance.history.add('plugin', reply);
    },
    (e: unknown) => recordFailure(ctx, instance, e),
  );
}
