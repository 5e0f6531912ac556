import { HostError, toHostError } from '../../errors.js';
import type { HostContext } from '../context.js';
import { callFailed } from './call-failed.js';
import type { HostInstance, PendingRequest } from './host-instance.js';
import { assertAllowed } from './lifecycle.js';
import { type Delivered, deliverNow } from './message-now.js';
import { scrubError } from './secrets.js';

/** Options of `host.handleMessage`. */
export interface MessageOptions {
  /** Rejects the call with CANCELLED when aborted (also while waiting for a deferred reply). */
  readonly signal?: AbortSignal;
  /** Deadline for the whole request, deferred reply included (default `timeouts.handleMessage`). */
  readonly timeoutMs?: number;
}

/**
 * The answer to one chat message. `reply` is null when the plugin answered without text. The frame
 * drawn after the message follows as `plugin-ui-updated` (`await host.refresh(id)` waits for a frame).
 */
export interface MessageResult {
  readonly requestId: string;
  readonly reply: string | null;
}

/** Who sent a message: the user (through the API) or another plugin (with its call chain). */
export interface MessageOrigin {
  readonly requestId: number;
  readonly chain: readonly string[];
  readonly fromPlugin: boolean;
}

/**
 * The history `set_history` gets: the newest entries that fit in `limits.maxSetHistoryBytes` of
 * JSON, oldest first (the message being handled is the newest, so it is always last).
 */
export function historyJson(ctx: HostContext, instance: HostInstance): string {
  return JSON.stringify(instance.history.page({ maxBytes: ctx.limits.maxSetHistoryBytes - 2 }).messages);
}

function ownError(instance: HostInstance, code: 'TIMEOUT' | 'CANCELLED', message: string): HostError {
  return new HostError(code, message, { pluginId: instance.pluginId, instanceId: instance.id });
}

/**
 * Send one message: it is recorded in history, then set_history (when the plugin requires
 * history) gives the plugin the history with this message last, then handle_message;
 * an immediate reply returns at once, PENDING waits (off the instance queue) for the plugin's
 * reply event. The message and its answer (or failure) go to history; a user message's answer
 * is emitted as plugin-reply.
 */
export async function sendMessage(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  options: MessageOptions,
  origin: MessageOrigin,
): Promise<string | null> {
  return await sendMessageSoon(ctx, instance, text, options, origin);
}

/**
 * `sendMessage` without a promise when the answer is there at once: nothing is queued or running
 * on the instance and its driver calls synchronously (in-process, no signal), so the steps run now
 * and the reply itself returns (null: no text); otherwise a promise of the reply. Throws (or rejects) as
 * `sendMessage` does.
 */
export function sendMessageSoon(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  options: MessageOptions,
  origin: MessageOrigin,
): string | null | Promise<string | null> {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most messages need no byte count here.
  const bytes = text.length * 3 <= ctx.limits.maxMessageBytes ? 0 : Buffer.byteLength(text, 'utf8');
  if (bytes > ctx.limits.maxMessageBytes)
    throw new HostError(
      'PAYLOAD_TOO_LARGE',
      `The message for instance "${instance.id}" is ${bytes} bytes; the limit is ${ctx.limits.maxMessageBytes}.`,
      { pluginId: instance.pluginId, instanceId: instance.id },
    );
  const timeoutMs = options.timeoutMs ?? ctx.timeouts.handleMessage;
  const signal = options.signal;
  if (signal?.aborted)
    throw ownError(instance, 'CANCELLED', `The message to "${instance.id}" was cancelled.`);
  if (signal !== undefined || !instance.queue.idle || !instance.callsNow)
    return sendQueued(ctx, instance, text, timeoutMs, signal, origin);
  let delivered: Delivered;
  try {
    instance.assertAllowed(origin.fromPlugin ? 'call' : 'message');
    delivered = deliverNow(ctx, instance, text, origin);
  } catch (e) {
    throw failed(ctx, instance, origin, e);
  }
  if (!(delivered instanceof Promise)) return answered(ctx, instance, origin, delivered);
  return waitAnswer(ctx, instance, origin, delivered, Date.now() + timeoutMs, undefined);
}

/** The steps of a message on the instance queue (after every call queued before it). */
async function sendQueued(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  origin: MessageOrigin,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  // The deferred answer is wrapped: the queue's job ends when handle_message returns, not with it.
  let delivered: { readonly now: string | null } | { readonly later: Promise<string | null> };
  try {
    delivered = await instance.queue.run(async () => {
      assertAllowed(instance.state, origin.fromPlugin ? 'call' : 'message', instance);
      const driver = instance.driver;
      recordIncoming(ctx, instance, text, origin);
      if (instance.needsHistory) {
        const sent = await driver.sendJson('set_history', historyJson(ctx, instance), {
          timeoutMs: ctx.timeouts.lifecycle,
        });
        if (!sent.ok)
          throw callFailed(sent, {
            pluginId: instance.pluginId,
            instanceId: instance.id,
            entry: 'set_history',
          });
      }
      instance.beginCall(origin);
      try {
        const callOptions = signal === undefined ? { timeoutMs } : { timeoutMs, signal };
        const outcome = await driver.handleMessage(origin.requestId, text, callOptions);
        if (!outcome.ok)
          throw callFailed(outcome, {
            pluginId: instance.pluginId,
            instanceId: instance.id,
            entry: 'handle_message',
          });
        // A deferred answer is registered before the call is over, so no reply event misses it.
        return outcome.pending ? { later: awaitReply(instance, origin).promise() } : { now: outcome.reply };
      } finally {
        instance.endCall();
      }
    });
  } catch (e) {
    throw failed(ctx, instance, origin, e);
  }
  if ('now' in delivered) return answered(ctx, instance, origin, delivered.now);
  return waitAnswer(ctx, instance, origin, delivered.later, deadline, signal);
}

/** Wait for a deferred answer, then record it (or its failure) as `sendMessage` does. */
async function waitAnswer(
  ctx: HostContext,
  instance: HostInstance,
  origin: MessageOrigin,
  later: Promise<string | null>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<string | null> {
  let reply: string | null;
  try {
    reply = await waitForReply(instance, origin.requestId, later, deadline, signal);
  } catch (e) {
    throw failed(ctx, instance, origin, e);
  }
  return answered(ctx, instance, origin, reply);
}

/** A failed message: recorded in history (and as plugin-reply for a user's); returns the error. */
function failed(ctx: HostContext, instance: HostInstance, origin: MessageOrigin, e: unknown): HostError {
  const error = recordFailure(ctx, instance, e);
  if (!origin.fromPlugin) emitReply(ctx, instance, origin.requestId, false, null, error);
  return error;
}

/** An answered message: the reply goes to history (and out as plugin-reply for a user's). */
function answered(
  ctx: HostContext,
  instance: HostInstance,
  origin: MessageOrigin,
  reply: string | null,
): string | null {
  if (reply !== null) instance.history.add('plugin', reply);
  if (!origin.fromPlugin) emitReply(ctx, instance, origin.requestId, true, reply);
  return reply;
}

/** The message goes to history first, so set_history ends with it (as the seed's client did). */
export function recordIncoming(
  ctx: HostContext,
  instance: HostInstance,
  text: string,
  origin: MessageOrigin,
): void {
  instance.history.add(origin.fromPlugin ? 'system' : 'user', text);
  emitNewest(ctx, instance);
}

/** The entry just added to the history, as plugin-history (built only when someone listens). */
function emitNewest(ctx: HostContext, instance: HostInstance): void {
  const message = ctx.wants('plugin-history') ? instance.history.newest() : undefined;
  if (message !== undefined) ctx.emit({ event: 'plugin-history', payload: { ...instance.who(), message } });
}

/**
 * The answer to one request: settled by a reply event (a deferred answer, or one a plugin thread
 * sent before handle_message returned). Its promise is made only when someone waits for it, so an
 * immediate reply costs no promise.
 */
export class PendingReply implements PendingRequest {
  readonly requestId: number;
  readonly chain: readonly string[];
  #settled: { ok: true; reply: string | null } | { ok: false; error: HostError } | null = null;
  #waiter: { resolve: (r: string | null) => void; reject: (e: HostError) => void } | null = null;

  constructor(requestId: number, chain: readonly string[]) {
    this.requestId = requestId;
    this.chain = chain;
  }

  resolve(reply: string | null): void {
    if (this.#waiter !== null) this.#waiter.resolve(reply);
    else this.#settled ??= { ok: true, reply };
  }

  reject(error: HostError): void {
    if (this.#waiter !== null) this.#waiter.reject(error);
    else this.#settled ??= { ok: false, error };
  }

  /** The answer, as a promise (rejections are marked handled: the caller decides). */
  promise(): Promise<string | null> {
    const settled = this.#settled;
    if (settled?.ok === true) return Promise.resolve(settled.reply);
    if (settled !== null) {
      const failed = Promise.reject(settled.error);
      failed.catch(() => undefined);
      return failed;
    }
    const later = new Promise<string | null>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
    later.catch(() => undefined);
    return later;
  }
}

/**
 * The answer of a request that handle_message deferred (PENDING): the one a plugin thread already
 * sent during the call, or a new entry a later reply event settles (see {@link PendingReply}).
 * Called before the call is over (`activeRequest` still names it), so no reply event misses it.
 */
export function awaitReply(instance: HostInstance, origin: MessageOrigin): PendingReply {
  const early = instance.earlyReply;
  if (early !== null && early.requestId === origin.requestId) {
    instance.earlyReply = null;
    return early;
  }
  const pending = new PendingReply(origin.requestId, origin.chain);
  instance.pending.set(origin.requestId, pending);
  return pending;
}

/**
 * The entry a reply event settles: an awaited request's, or, for the handle_message running right
 * now, `instance.earlyReply` (a plugin thread answered before the call returned; made only then, so
 * an answer that comes back with the call costs nothing). Undefined: nobody waits for this reply.
 */
export function replyEntry(instance: HostInstance, requestId: number): PendingRequest | undefined {
  const pending = instance.pending.get(requestId);
  if (pending !== undefined || requestId !== instance.activeRequest || instance.earlyReply !== null)
    return pending;
  const early = new PendingReply(requestId, instance.activeChain ?? instance.userChain);
  instance.earlyReply = early;
  return early;
}

/** A failed message: its error (secrets scrubbed) goes to history and is returned. */
export function recordFailure(ctx: HostContext, instance: HostInstance, e: unknown): HostError {
  const error = scrubError(instance, toHostError(e));
  instance.history.add('system', '', undefined, error.message);
  emitNewest(ctx, instance);
  return error;
}

function emitReply(
  ctx: HostContext,
  instance: HostInstance,
  requestId: number,
  ok: boolean,
  content: string | null,
  error?: HostError,
): void {
  if (!ctx.wants('plugin-reply')) return;
  const payload = { ...instance.who(), request_id: String(requestId), ok, content };
  ctx.emit({
    event: 'plugin-reply',
    payload: error === undefined ? payload : { ...payload, error: error.toInfo() },
  });
}

/** Wait for a deferred reply until the deadline or the signal; either drops the pending entry. */
export function waitForReply(
  instance: HostInstance,
  requestId: number,
  later: Promise<string | null>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const fail = (error: HostError) => {
      instance.pending.delete(requestId);
      cleanup();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          ownError(
            instance,
            'TIMEOUT',
            `Instance "${instance.id}" did not answer request ${requestId} in time.`,
          ),
        ),
      Math.max(0, deadline - Date.now()),
    );
    const onAbort = () =>
      fail(ownError(instance, 'CANCELLED', `Request ${requestId} to "${instance.id}" was cancelled.`));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    later.then(
      (r) => {
        cleanup();
        resolve(r);
      },
      (e: unknown) => {
        cleanup();
        reject(toHostError(e));
      },
    );
  });
}
