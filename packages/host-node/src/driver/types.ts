import {
  type ErrorCode,
  type LogLevel,
  type MessageType,
  PLUGIN_LIFECYCLE_ENTRIES,
  PLUGIN_OPTIONAL_ENTRIES,
  type UiEvent,
  type UiTree,
} from '@plugin-interfaces/spec';

/**
 * The boundary between the host's logic (lifecycle, routing, history, frontend events) and the
 * thing that actually runs native code. The in-process driver runs plugins through koffi in this
 * process; the isolated driver runs the same in-process driver inside a child process and speaks
 * to it over IPC. Everything here is asynchronous so both can implement it.
 */

/** What the loader learned from `pi_plugin_entry` after every check passed. */
export interface LibraryInfo {
  readonly path: string;
  readonly abiMajor: number;
  readonly abiMinor: number;
  readonly fingerprint: string;
  readonly sdk: string;
  /** Optional vtable entries the plugin implements. */
  readonly entries: ReadonlySet<OptionalEntry>;
}

/** Optional vtable entries, in vtable order (declared in the spec). */
export const OPTIONAL_ENTRIES = PLUGIN_OPTIONAL_ENTRIES;
export type OptionalEntry = (typeof OPTIONAL_ENTRIES)[number];

/** The strings PiPluginMetadata carries (see the spec's PiPluginMetadata). */
export interface InstanceMetadata {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly author: string | null;
  readonly pluginDir: string;
  readonly libraryPath: string;
  readonly configPath: string;
  readonly instanceId: string;
  readonly settingsJson: string;
  readonly requireHistory: boolean;
}

/** Plain lifecycle entry points: `(self, err) -> PiStatus`. */
export const LIFECYCLE_ENTRIES = PLUGIN_LIFECYCLE_ENTRIES;
export type LifecycleEntry = (typeof LIFECYCLE_ENTRIES)[number];

/** The result of a plugin entry point, with the error envelope decoded. */
export type CallOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly status: number;
      readonly message: string;
      readonly detailJson: string;
      readonly retryable: boolean;
    };

/** handle_message: an immediate reply, or PENDING (the reply arrives later as a `reply` event). */
export type MessageOutcome =
  | { readonly ok: true; readonly pending: false; readonly reply: string | null }
  | { readonly ok: true; readonly pending: true }
  | Extract<CallOutcome, { ok: false }>;

/** update_ui: the recorded frame (already validated against the schema and the limits). */
export type FrameOutcome = { readonly ok: true; readonly tree: UiTree } | Extract<CallOutcome, { ok: false }>;

/**
 * Something a plugin did, in the order it did it (per instance). Delivered in batches.
 * `stream` is the driver's numeric handle; `streamId` the unique id shown to the frontend.
 */
export type PluginEvent =
  | { readonly kind: 'message'; readonly messageType: MessageType; readonly content: string }
  | {
      readonly kind: 'reply';
      readonly requestId: number;
      readonly status: number;
      readonly content: string | null;
    }
  | { readonly kind: 'stream_start'; readonly streamId: string; readonly title: string | null }
  | { readonly kind: 'stream_data'; readonly streamId: string; readonly chunk: string; readonly seq: number }
  | {
      readonly kind: 'stream_end';
      readonly streamId: string;
      readonly success: boolean;
      readonly error: string | null;
    }
  | { readonly kind: 'stream_pause' | 'stream_resume'; readonly streamId: string }
  | { readonly kind: 'stream_cancel'; readonly streamId: string; readonly by: 'plugin' | 'user' | 'host' }
  | { readonly kind: 'custom'; readonly event: string; readonly payloadJson: string }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly text: string }
  | { readonly kind: 'request_refresh' }
  | { readonly kind: 'request_disconnect' }
  /** A host call the plugin made that the driver refused (bad UTF-8, invalid JSON, bad transition…). */
  | { readonly kind: 'violation'; readonly code: ErrorCode; readonly message: string };

/** Answers the host logic gives to blocking plugin requests. `status` is a PiStatus value. */
export interface RequestAnswer {
  readonly status: number;
  readonly value: string | null;
}

/**
 * An answer that may also be had synchronously: `tryNow()` delivers the request at once and
 * returns its answer, or returns null without delivering anything when it cannot be answered now.
 */
export interface SyncAnswer extends Promise<RequestAnswer> {
  tryNow(): RequestAnswer | null;
}

/** True when `a` offers a synchronous answer. */
export function isSyncAnswer(a: unknown): a is SyncAnswer {
  return a instanceof Promise && typeof (a as Partial<SyncAnswer>).tryNow === 'function';
}

/** Callbacks from a driver into the host logic. */
export interface DriverHooks {
  /** Plugin events for one instance, in order. Called on the event loop. */
  onEvents(instanceId: string, events: readonly PluginEvent[]): void;
  /** get_app_config: permission checks and the integrator's provider live in the host logic. */
  getAppConfig(instanceId: string, key: string): RequestAnswer;
  /**
   * call_other_plugin. May return a promise; a driver that can only answer synchronously (a call
   * made on the event-loop thread) first asks a {@link SyncAnswer} promise for `tryNow()` and
   * answers INVALID_STATE when there is no synchronous answer (then nothing was delivered).
   */
  callOtherPlugin(
    instanceId: string,
    targetId: string,
    message: string,
  ): RequestAnswer | Promise<RequestAnswer>;
  /** Supervision events (crash, restart, disabled) of out-of-process drivers. Optional. */
  onFault?(fault: DriverFault): void;
}

/**
 * Why an isolated plugin process went away: a signal (segfault, abort), an exit, the IPC channel
 * closing, the memory cap, an unresponsive call (deadline passed, process killed), a protocol
 * violation by the child, or a failed start.
 */
export type FaultCause = 'signal' | 'exit' | 'disconnect' | 'memory' | 'unresponsive' | 'protocol' | 'spawn';

/**
 * A supervision event of a driver that runs plugins out of process (the in-process driver never
 * emits one: a fault there takes the whole process). `crashed` is followed by `restarted` (the
 * same DriverInstance objects work again, re-created with their metadata: the host re-runs the
 * lifecycle and restores history) or, after too many crashes, by `disabled`.
 */
export type DriverFault =
  | {
      readonly kind: 'crashed';
      readonly code: 'PLUGIN_CRASHED';
      readonly pluginId: string;
      readonly libraryPath: string;
      readonly cause: FaultCause;
      readonly signal: string | null;
      readonly exitCode: number | null;
      /** The calls that were running when the process died (e.g. `handleMessage`). */
      readonly inFlight: readonly string[];
      /** Instances that were alive and will be re-created by the restart. */
      readonly instanceIds: readonly string[];
      /** Crashes inside the current window, this one included. */
      readonly crashCount: number;
      /** Delay before the restart (back-off); null when no restart follows (`disabled` comes next). */
      readonly restartInMs: number | null;
      readonly message: string;
    }
  | {
      readonly kind: 'restarted';
      readonly pluginId: string;
      readonly libraryPath: string;
      /** Instances re-created in the new process: run their lifecycle again. */
      readonly instanceIds: readonly string[];
      /** Instances whose re-creation failed; they stay failed. */
      readonly failedInstanceIds: readonly string[];
      readonly attempt: number;
    }
  | {
      readonly kind: 'disabled';
      readonly code: 'PLUGIN_DISABLED_AFTER_CRASHES';
      readonly pluginId: string;
      readonly libraryPath: string;
      readonly crashCount: number;
      readonly message: string;
    };

/** Per-call options. */
export interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** One loaded library inside a driver. */
export interface DriverLibrary {
  readonly info: LibraryInfo;
  createInstance(meta: InstanceMetadata, options?: CallOptions): Promise<DriverInstance>;
  /** Unload the library. Refused while instances exist or plugin threads still run. */
  close(): Promise<void>;
}

/** One instance inside a driver. Calls on one instance never overlap. */
export interface DriverInstance {
  readonly instanceId: string;
  lifecycle(entry: LifecycleEntry, options?: CallOptions): Promise<CallOutcome>;
  /** Record one frame; `events` become the widgets' return values in this frame. */
  updateUi(events: readonly UiEvent[], options?: CallOptions): Promise<FrameOutcome>;
  handleMessage(requestId: number, message: string, options?: CallOptions): Promise<MessageOutcome>;
  /** set_history (JSON array) or apply_settings (JSON object); null clears. */
  sendJson(
    entry: 'set_history' | 'apply_settings',
    json: string | null,
    options?: CallOptions,
  ): Promise<CallOutcome>;
  /**
   * handle_message run synchronously, for an inter-plugin call made on the event-loop thread: the
   * outcome, or null (nothing called) when the instance is busy or cannot run calls synchronously.
   * Optional: drivers whose instances live in another process leave it out. Throws HostError.
   */
  handleMessageNow?(requestId: number, message: string): MessageOutcome | null;
  /** sendJson run synchronously, under the same rules as `handleMessageNow`. */
  sendJsonNow?(entry: 'set_history' | 'apply_settings', json: string | null): CallOutcome | null;
  /** Pause/resume/cancel from the user: updates the stream state, then tells the plugin. */
  controlStream(streamId: string, control: 'pause' | 'resume' | 'cancel'): Promise<CallOutcome>;
  /** The consumer took `chunks` chunks of a stream: give the producer that much credit back. */
  grantCredit(streamId: string, chunks: number): void;
  /** Refuse further host calls, call destroy, and wait for the plugin's threads to be gone. */
  destroy(options?: CallOptions): Promise<void>;
}

/** Options of {@link PluginDriver.loadLibrary}. */
export interface LibraryLoadOptions {
  /**
   * SHA-256 (hex) the library must have: checked on the bytes the driver actually maps (its shadow
   * copy), at every load, so a file replaced after the scan is refused with CHECKSUM_MISMATCH.
   */
  readonly sha256?: string | undefined;
}

/** A way of running plugins. */
export interface PluginDriver extends AsyncDisposable {
  readonly kind: 'in-process' | 'isolated';
  /** Verify and load one library (config checks happen before, in discovery; the checksum again here). */
  loadLibrary(path: string, hooks: DriverHooks, options?: LibraryLoadOptions): Promise<DriverLibrary>;
  close(): Promise<void>;
}
