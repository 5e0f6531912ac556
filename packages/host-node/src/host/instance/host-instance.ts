import type { ErrorInfo, InstanceInfo, LifecycleState, UiEvent, UiTree } from '@plugin-interfaces/spec';
import { validators } from '@plugin-interfaces/spec';
import type { CallOutcome, DriverInstance, LifecycleEntry, PluginEvent } from '../../driver/types.js';
import { HostError, toHostError } from '../../errors.js';
import { PiStatus } from '../../pi-status.js';
import type { HostContext } from '../context.js';
import { applyPluginEvents, applyStreamControl, endOpenStreams } from '../events/plugin-events.js';
import type { LoadedLibrary } from '../plugins/libraries.js';
import { callFailed } from './call-failed.js';
import type { InstanceHistory } from './history.js';
import { checkSettings, checkWidget } from './input-checks.js';
import { instanceInfo } from './instance-info.js';
import { assertAllowed, type InstanceOp } from './lifecycle.js';
import { type NowResult, sendMessageNow } from './message-now.js';
import {
  type MessageOptions,
  type MessageOrigin,
  type PendingReply,
  sendMessage,
  sendMessageSoon,
} from './messages.js';
import { recoverInstance } from './recover.js';
import { keepSecrets, maskSecrets, redactError, scrubError, secretValues } from './secrets.js';
import { SerialQueue } from './serial-queue.js';
import { type CreditAccount, type InstanceStreams, isOpen } from './streams.js';

/** A handleMessage whose reply has not arrived yet. */
export interface PendingRequest {
  readonly requestId: number;
  /** Plugin ids of the inter-plugin call chain this request belongs to, caller first. */
  readonly chain: readonly string[];
  readonly resolve: (reply: string | null) => void;
  readonly reject: (error: HostError) => void;
}

/** What an instance is made of once its driver instance exists (see `create-instance.ts`). */
export interface InstanceParts {
  readonly id: string;
  readonly lib: LoadedLibrary;
  readonly driver: DriverInstance;
  readonly settings: Record<string, unknown>;
  /** The settings JSON the driver created the instance with (a restart re-creates it with these). */
  readonly createdSettingsJson: string;
  readonly history: InstanceHistory;
  readonly streams: InstanceStreams;
}

/** The live states, which a crash remembers so the restart can return to them. */
type LiveState = 'mounted' | 'connected' | 'disconnected';
const LIVE: readonly LifecycleState[] = ['mounted', 'connected', 'disconnected'];

/**
 * One plugin instance on the host: its lifecycle state machine, the queue every call into it goes
 * through (so the driver never sees overlapping calls on one instance), its UI frame, settings,
 * history, streams and unanswered requests, and the operations on it. It exists only once its
 * driver instance does; until then the id is a {@link LoadingInstance}. Mutable fields change only
 * on the queue (or from plugin events, which arrive between jobs).
 */
export class HostInstance {
  readonly id: string;
  readonly pluginId: string;
  readonly lib: LoadedLibrary;
  readonly driver: DriverInstance;
  state: LifecycleState = 'created';
  revision = 0;
  tree: UiTree = [];
  settings: Record<string, unknown>;
  readonly createdSettingsJson: string;
  readonly history: InstanceHistory;
  readonly streams: InstanceStreams;
  readonly queue = new SerialQueue();
  /**
   * Requests whose answer is awaited: a deferred one (PENDING), or one a plugin thread answered
   * while handle_message still ran. An answer that comes back with the call registers nothing.
   */
  readonly pending = new Map<number, PendingRequest>();
  /** The request and call chain of the handle_message running right now (-1 and null: none). */
  activeRequest = -1;
  activeChain: readonly string[] | null = null;
  /** The reply a plugin thread sent for `activeRequest` before handle_message returned, if any. */
  earlyReply: PendingReply | null = null;
  /** Streams shown under another id than the driver's (see `publicStreamId`): driver id → shown id. */
  readonly streamAliases = new Map<string, string>();
  /** Plugin events the host dropped so far: replies nobody waits for, chunks of unknown streams. */
  readonly #dropped = { reply: 0, chunk: 0 };
  /** Credit owed for chunks of a stream the host does not know (the last such stream's account). */
  #strayCredit: CreditAccount | null = null;
  /** The chain of a message from the user: this plugin alone (one array for every such message). */
  readonly userChain: readonly string[];
  /** True when set_history goes before each message (the plugin requires history and implements it). */
  readonly needsHistory: boolean;
  /** True when the driver runs every call of a message synchronously (in-process): see `deliverNow`. */
  readonly callsNow: boolean;
  error: ErrorInfo | undefined = undefined;
  /** True when `error` is a failed frame's (the next good frame clears it). */
  errorFromFrame = false;
  /** The live state before a crash, restored after the driver's restart; null when none. */
  resumeTo: LiveState | null = null;
  /** Bumped on every crash, so a recovery overtaken by the next crash stops. */
  faultEpoch = 0;
  readonly #ctx: HostContext;
  /** The refresh queued but not started yet (what a new refresh request joins). */
  #queuedRefresh: Promise<void> | null = null;
  /** A refresh asked for by `deferRefresh`, queued when the event loop turns. */
  #refreshDeferred = false;
  /** Frames started so far, and that count when `deferRefresh` asked (a frame started since does). */
  #framesStarted = 0;
  #framesAtDefer = 0;

  constructor(ctx: HostContext, parts: InstanceParts) {
    this.#ctx = ctx;
    this.id = parts.id;
    this.pluginId = parts.lib.plugin.id;
    this.userChain = Object.freeze([this.pluginId]);
    this.lib = parts.lib;
    this.driver = parts.driver;
    this.settings = parts.settings;
    this.createdSettingsJson = parts.createdSettingsJson;
    this.history = parts.history;
    this.streams = parts.streams;
    this.needsHistory =
      this.lib.plugin.config?.plugin.require_history === true && this.implements('set_history');
    this.callsNow =
      this.driver.handleMessageNow !== undefined &&
      (this.driver.sendJsonNow !== undefined || !this.needsHistory);
  }

  /** True when the library implements an optional entry point. */
  implements(entry: string): boolean {
    return (this.lib.library.info.entries as ReadonlySet<string>).has(entry);
  }

  /** The `plugin_id`/`instance_id`/`timestamp` every frontend event payload starts with. */
  who(): { plugin_id: string; instance_id: string; timestamp: number } {
    return { plugin_id: this.pluginId, instance_id: this.id, timestamp: Date.now() };
  }

  /** Throw LIFECYCLE_ORDER unless `op` is allowed in the current state. */
  assertAllowed(op: InstanceOp): void {
    assertAllowed(this.state, op, this);
  }

  /** Set the lifecycle state and emit plugin-status (with `failure`, secrets scrubbed, as its error). */
  setState(state: LifecycleState, failure?: HostError): void {
    const error = failure === undefined ? undefined : scrubError(this, failure);
    this.state = state;
    if (error !== undefined) {
      this.error = error.toInfo();
      this.errorFromFrame = false;
    }
    const payload =
      error === undefined ? { ...this.who(), state } : { ...this.who(), state, error: error.toInfo() };
    this.#ctx.emit({ event: 'plugin-status', payload });
  }

  /** The InstanceInfo view (copies), at most `maxBytes` of JSON; see `instance-info.ts`. */
  info(maxBytes: number): InstanceInfo {
    return instanceInfo(this, maxBytes);
  }

  /** Turn a batch of plugin events into history, stream state and frontend events (see `plugin-events.ts`). */
  applyEvents(events: readonly PluginEvent[]): void {
    applyPluginEvents(this.#ctx, this, events);
  }

  // ---- lifecycle ----

  /**
   * on_mount, then the first frame, on the queue. A failed on_mount disposes and destroys the
   * instance (no update_ui runs) and rethrows; a failed first frame is logged and leaves an empty tree.
   */
  mount(): Promise<void> {
    return this.queue.run(async () => {
      this.assertAllowed('mount');
      let error: HostError | null;
      try {
        error = this.#failure('on_mount', await this.callLifecycle('on_mount'));
      } catch (e) {
        error = toHostError(e); // a timeout or a closed driver keeps its own code
      }
      if (error !== null) {
        await this.#teardown(error);
        throw error;
      }
      this.setState('mounted');
      await this.render([]).catch(() => undefined);
    });
  }

  /** on_connect; afterwards the instance takes chat messages. A frame follows (also on failure). */
  async connect(): Promise<void> {
    try {
      await this.queue.run(async () => {
        this.assertAllowed('connect');
        const error = this.#failure('on_connect', await this.callLifecycle('on_connect'));
        if (error !== null) throw error;
        this.setState('connected');
      });
    } finally {
      this.scheduleRefresh();
    }
  }

  /** on_disconnect; the instance counts as disconnected even when the plugin fails it (then it throws). */
  async disconnect(): Promise<void> {
    try {
      await this.queue.run(async () => {
        this.assertAllowed('disconnect');
        const outcome = await this.callLifecycle('on_disconnect').catch(asOutcome);
        const error = this.#failure('on_disconnect', outcome);
        this.setState('disconnected', error ?? undefined);
        if (error !== null) throw error;
      });
    } finally {
      this.scheduleRefresh();
    }
  }

  /**
   * Take the instance down from any state, after every job queued before: on_disconnect when
   * connected, on_dispose when live, then destroy. False when it was already destroyed.
   */
  unload(): Promise<boolean> {
    return this.queue.run(async () => {
      if (this.state === 'destroyed') return false;
      await this.#teardown();
      return true;
    });
  }

  /** Call a lifecycle entry when the plugin implements it; a missing entry counts as success. */
  async callLifecycle(entry: LifecycleEntry): Promise<CallOutcome> {
    if (!this.implements(entry)) return { ok: true };
    return this.driver.lifecycle(entry, { timeoutMs: this.#ctx.timeouts.lifecycle });
  }

  /**
   * on_disconnect when connected, on_dispose when live, then destroy (run on the queue). Failures
   * are logged and never stop the next step; unanswered requests are rejected, open streams ended.
   */
  async #teardown(cause?: HostError): Promise<void> {
    const ctx = this.#ctx;
    const step = async (entry: LifecycleEntry) => {
      const error = this.#failure(entry, await this.callLifecycle(entry).catch(asOutcome));
      if (error !== null) ctx.log('warn', error.message, this);
    };
    if (this.state === 'connected') {
      await step('on_disconnect');
      this.setState('disconnected');
    }
    if (this.state === 'created' || LIVE.includes(this.state)) {
      await step('on_dispose');
      this.setState('disposed', cause);
    }
    this.#rejectPending(
      (p) =>
        new HostError(
          'CANCELLED',
          `Instance "${this.id}" was unloaded before it answered request ${p.requestId}.`,
          { pluginId: this.pluginId, instanceId: this.id },
        ),
    );
    endOpenStreams(
      ctx,
      this,
      cause?.message ?? `Instance "${this.id}" was unloaded while the stream was open.`,
    );
    try {
      await this.driver.destroy({ timeoutMs: ctx.timeouts.destroy });
    } catch (e) {
      ctx.log('error', `destroy failed: ${toHostError(e).message}`, this);
    }
    this.setState('destroyed', cause);
  }

  // ---- frames ----

  /**
   * Record a frame (on the queue). `events` become the widgets' return values in this frame. The
   * new tree is kept, the revision bumped and plugin-ui-updated emitted; a failed frame keeps the
   * old tree, and is reported on `error`, as a plugin-log error line and in plugin-status.
   */
  async render(events: readonly UiEvent[]): Promise<void> {
    this.assertAllowed('render');
    if (!this.implements('update_ui')) return;
    this.#framesStarted++;
    let outcome: Awaited<ReturnType<DriverInstance['updateUi']>>;
    try {
      outcome = await this.driver.updateUi(events, { timeoutMs: this.#ctx.timeouts.updateUi });
    } catch (e) {
      // A refused frame (UI_TREE_INVALID past the widget limits), a timeout or a closed driver is
      // a plugin fault like a failed call: the frontend hears about it the same way.
      throw this.#frameFailed(toHostError(e));
    }
    if (!outcome.ok) throw this.#frameFailed(this.#callFailed('update_ui', outcome));
    const cleared = this.error !== undefined && this.errorFromFrame;
    if (cleared) {
      this.error = undefined;
      this.errorFromFrame = false;
    }
    this.tree = outcome.tree;
    this.revision++;
    const ctx = this.#ctx;
    ctx.emit({
      event: 'plugin-ui-updated',
      payload: { ...this.who(), revision: this.revision, tree: outcome.tree },
    });
    if (cleared) ctx.emit({ event: 'plugin-status', payload: { ...this.who(), state: this.state } });
  }

  /** Re-render without events, after every job queued before. */
  refresh(): Promise<void> {
    return this.queue.run(() => this.render([]), 'frame');
  }

  /**
   * Coalesce refresh requests (after messages, connects, `request_refresh`): one re-render is
   * queued no matter how many requests arrive; an instance that cannot render is skipped. The
   * promise resolves (never rejects) once that frame was recorded or failed.
   */
  scheduleRefresh(): Promise<void> {
    if (this.#queuedRefresh !== null) return this.#queuedRefresh;
    const run = this.queue
      .run(async () => {
        this.#queuedRefresh = null;
        if (LIVE.includes(this.state)) await this.render([]);
      }, 'frame')
      .catch((e: unknown) => this.#ctx.log('warn', `Refresh failed: ${toHostError(e).message}`, this));
    this.#queuedRefresh = run;
    return run;
  }

  /**
   * Ask for a frame once the current burst of calls is over: the refresh is queued when the event
   * loop turns (setImmediate), so messages sent back to back draw one frame, not one each.
   */
  deferRefresh(): void {
    if (this.#queuedRefresh !== null) return;
    // The latest request counts: the frame must start after it.
    this.#framesAtDefer = this.#framesStarted;
    if (this.#refreshDeferred) return;
    this.#refreshDeferred = true;
    setImmediate(() => {
      this.#refreshDeferred = false;
      // A frame started since the request already shows what the calls before it changed.
      if (this.#framesStarted === this.#framesAtDefer) void this.scheduleRefresh();
    });
  }

  #frameFailed(failure: HostError): HostError {
    const ctx = this.#ctx;
    const error = scrubError(this, failure);
    ctx.log('error', error.message, this, { code: error.code });
    this.error = error.toInfo();
    this.errorFromFrame = true;
    ctx.emit({ event: 'plugin-log', payload: { ...this.who(), level: 'error', message: error.message } });
    ctx.emit({
      event: 'plugin-status',
      payload: { ...this.who(), state: this.state, error: error.toInfo() },
    });
    return error;
  }

  // ---- messages ----

  /** handle_message of this request starts: its chain is the caller's, a reply may come early. */
  beginCall(origin: MessageOrigin): void {
    this.activeRequest = origin.requestId;
    this.activeChain = origin.chain;
  }

  /** handle_message returned (or failed): an early reply not claimed by then has nobody to go to. */
  endCall(): void {
    const early = this.earlyReply;
    if (early !== null) {
      this.earlyReply = null;
      this.#ctx.log(
        'warn',
        `Dropped a reply to request ${early.requestId}: handle_message answered it itself (or failed) instead of returning PENDING.`,
        this,
      );
    }
    this.activeRequest = -1;
    this.activeChain = null;
  }

  /** Send a chat message (from the user or another plugin) and wait for its reply; see `messages.ts`. */
  send(text: string, options: MessageOptions, origin: MessageOrigin): Promise<string | null> {
    return sendMessage(this.#ctx, this, text, options, origin);
  }

  /** `send`, answered without a promise when the reply is there at once; see `sendMessageSoon`. */
  sendSoon(
    text: string,
    options: MessageOptions,
    origin: MessageOrigin,
  ): string | null | Promise<string | null> {
    return sendMessageSoon(this.#ctx, this, text, options, origin);
  }

  /** Deliver an inter-plugin message synchronously when possible (null: nothing delivered); see `message-now.ts`. */
  sendNow(text: string, origin: MessageOrigin): NowResult | null {
    return sendMessageNow(this.#ctx, this, text, origin);
  }

  /**
   * The id a stream the driver just started is shown under: its own, unless a stream of an earlier
   * build or process of this instance kept that id (the runtime numbers streams from 1 again after
   * a reload or a restart, and the history carries the old ones over); then `<id>~<n>`, and the
   * driver's later events and the host's controls and credit are translated.
   */
  publicStreamId(driverId: string): string {
    this.streamAliases.delete(driverId);
    const taken = (id: string) => this.streams.has(id) || this.history.hasId(id);
    if (!taken(driverId)) return driverId;
    let n = 2;
    while (taken(`${driverId}~${n}`)) n++;
    const id = `${driverId}~${n}`;
    this.streamAliases.set(driverId, id);
    return id;
  }

  /**
   * Count one more dropped event of this kind; the count when it should be logged (the 1st, 2nd,
   * 4th, 8th…: a plugin flooding the host with stray replies or chunks cannot flood its log), else null.
   */
  dropped(kind: 'reply' | 'chunk'): number | null {
    const n = ++this.#dropped[kind];
    return (n & (n - 1)) === 0 ? n : null;
  }

  /**
   * The credit account of a chunk whose stream the host does not know: one per stream id, reused
   * while chunks of that id come in a row (one grant for the run, not one per chunk).
   */
  strayCredit(driverId: string): CreditAccount {
    if (this.#strayCredit?.streamId !== driverId) this.#strayCredit = { streamId: driverId, owed: 0 };
    return this.#strayCredit;
  }

  // ---- controls ----

  /** Feed a frontend UI event into the next frame; UI_EVENT_INVALID for a widget not in the current frame. */
  async dispatchUiEvent(event: UiEvent): Promise<void> {
    if (!validators.uiEvent.check(event))
      throw new HostError(
        'UI_EVENT_INVALID',
        `Malformed UI event: ${validators.uiEvent.errors(event).join('; ')}`,
        { pluginId: this.pluginId, instanceId: this.id },
      );
    await this.queue.run(async () => {
      this.assertAllowed('render');
      checkWidget(this, event);
      await this.render([event]);
    });
  }

  /** Pause, resume or cancel a stream on behalf of the user; the plugin is told. */
  async controlStream(streamId: string, control: 'pause' | 'resume' | 'cancel'): Promise<void> {
    const ids = { pluginId: this.pluginId, instanceId: this.id };
    if (!this.streams.has(streamId))
      throw new HostError('STREAM_STATE', `Instance "${this.id}" has no stream "${streamId}".`, ids);
    await this.queue.run(async () => {
      this.assertAllowed('stream-control');
      // An ended stream is the host's to answer: the plugin is not asked, so a late resume or
      // cancel never shows up as a failed plugin call.
      const record = this.streams.get(streamId);
      if (record !== undefined && !isOpen(record.state))
        throw new HostError(
          'STREAM_STATE',
          `Stream "${streamId}" of instance "${this.id}" is ${record.state}; it cannot ${control === 'cancel' ? 'be cancelled' : control === 'pause' ? 'be paused' : 'be resumed'} any more.`,
          { ...ids, detail: { stream_id: streamId, state: record.state, control } },
        );
      const outcome = await this.driver.controlStream(record?.driverId ?? streamId, control);
      if (!outcome.ok) {
        const error = this.#callFailed('on_stream_control', outcome);
        throw new HostError('STREAM_STATE', error.message, { ...ids, detail: error.detail });
      }
      applyStreamControl(this.#ctx, this, streamId, control, 'user');
    });
  }

  /** Validate settings against the plugin's `[settings]`, then apply_settings; returns them masked. */
  async setSettings(values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const specs = this.lib.config.settings;
    await this.queue.run(async () => {
      this.assertAllowed('settings');
      // A secret sent back as its `{ secret: 'set' }` marker keeps the value the instance has.
      const checked = checkSettings(this.lib, keepSecrets(specs, values, this.settings));
      if (this.implements('apply_settings')) {
        const outcome = await this.driver.sendJson('apply_settings', JSON.stringify(checked), {
          timeoutMs: this.#ctx.timeouts.lifecycle,
        });
        if (!outcome.ok)
          throw redactError(this.#callFailed('apply_settings', outcome), secretValues(specs, checked));
      }
      this.settings = checked;
    });
    return maskSecrets(specs, this.settings);
  }

  // ---- faults ----

  /**
   * Put the instance into `crashed` or `disabled`: remember the live state for the restart,
   * reject waiting requests, end open streams with the error, and emit plugin-status.
   */
  goDown(state: 'crashed' | 'disabled', error: HostError): void {
    if (LIVE.includes(this.state)) this.resumeTo = this.state as LiveState;
    this.faultEpoch++;
    // The restarted plugin's runtime numbers its streams afresh: the old aliases mean nothing there.
    this.streamAliases.clear();
    this.#rejectPending(() => error);
    endOpenStreams(this.#ctx, this, error.message);
    this.#ctx.log('error', error.message, this, { code: error.code });
    this.setState(state, error);
  }

  /** Bring the instance back after its driver re-created it following a crash; see `recover.ts`. */
  recover(): Promise<void> {
    return recoverInstance(this.#ctx, this);
  }

  // ---- helpers ----

  #failure(entry: string, outcome: CallOutcome): HostError | null {
    return outcome.ok ? null : this.#callFailed(entry, outcome);
  }

  #callFailed(entry: string, outcome: Extract<CallOutcome, { ok: false }>): HostError {
    return callFailed(outcome, { pluginId: this.pluginId, instanceId: this.id, entry });
  }

  #rejectPending(error: (p: PendingRequest) => HostError): void {
    for (const p of this.pending.values()) p.reject(error(p));
    this.pending.clear();
  }
}

/** A driver that throws (timeout, closed…) is treated like a failed call with that error. */
function asOutcome(e: unknown): CallOutcome {
  const error = toHostError(e);
  return {
    ok: false,
    status: PiStatus.ERROR,
    message: `${error.code}: ${error.message}`,
    detailJson: '',
    retryable: false,
  };
}
