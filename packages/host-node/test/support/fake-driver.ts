import { basename } from 'node:path';
import type { UiEvent, UiTree } from '@plugin-interfaces/spec';
import type {
  CallOptions,
  CallOutcome,
  DriverHooks,
  DriverInstance,
  DriverLibrary,
  FrameOutcome,
  InstanceMetadata,
  LibraryInfo,
  LifecycleEntry,
  MessageOutcome,
  OptionalEntry,
  PluginDriver,
  PluginEvent,
  RequestAnswer,
} from '../../src/driver/types.js';
import { OPTIONAL_ENTRIES } from '../../src/driver/types.js';
import { PiStatus } from '../../src/pi-status.js';

/** What a fake plugin instance can do from inside a call: the plugin side of the host API. */
export interface FakeContext {
  readonly meta: InstanceMetadata;
  /** Deliver plugin events to the host (as a driver's event pump would). */
  emit(...events: PluginEvent[]): void;
  getAppConfig(key: string): RequestAnswer;
  callOtherPlugin(target: string, message: string): Promise<RequestAnswer>;
  /** The host's raw answer, as a driver on the event-loop thread sees it (a promise is not awaited). */
  callOtherPluginRaw(target: string, message: string): RequestAnswer | Promise<RequestAnswer>;
  /** The last JSON set_history / apply_settings received. */
  history: string | null;
  settings: string | null;
}

/** Scripted behaviour of one fake plugin (keyed by plugin id). Missing parts answer ok. */
export interface FakeBehavior {
  readonly entries?: readonly OptionalEntry[];
  lifecycle?(ctx: FakeContext, entry: LifecycleEntry): CallOutcome | Promise<CallOutcome>;
  ui?(ctx: FakeContext, events: readonly UiEvent[]): UiTree;
  handle?(ctx: FakeContext, requestId: number, message: string): MessageOutcome | Promise<MessageOutcome>;
  streamControl?(ctx: FakeContext, streamId: string, control: string): CallOutcome;
  destroy?(ctx: FakeContext): Promise<void> | void;
}

/** A failed outcome with the given status and message. */
export const fail = (
  message: string,
  status: number = PiStatus.ERROR,
): Extract<CallOutcome, { ok: false }> => ({
  ok: false,
  status,
  message,
  detailJson: '',
  retryable: false,
});

/**
 * An in-memory PluginDriver for host-logic tests: plugins are scripted objects, not libraries.
 * The plugin id is taken from the library file name (`lib<id>.so`). Every call is recorded in
 * `calls` as `<instanceId>:<entry>`; credit grants in `credit`.
 */
export class FakeDriver implements PluginDriver {
  readonly kind = 'in-process' as const;
  readonly calls: string[] = [];
  readonly credit: { instanceId: string; streamId: string; chunks: number }[] = [];
  readonly contexts = new Map<string, FakeContext>();
  openLibraries = 0;
  closed = false;

  constructor(readonly behaviors: Readonly<Record<string, FakeBehavior>>) {}

  async loadLibrary(path: string, hooks: DriverHooks): Promise<DriverLibrary> {
    const id = basename(path)
      .replace(/^lib/, '')
      .replace(/\.(so|dylib|dll)$/, '');
    const behavior = this.behaviors[id] ?? {};
    const info: LibraryInfo = {
      path,
      abiMajor: 1,
      abiMinor: 0,
      fingerprint: 'fake',
      sdk: 'fake',
      entries: new Set(behavior.entries ?? OPTIONAL_ENTRIES),
    };
    this.openLibraries++;
    let instances = 0;
    return {
      info,
      createInstance: async (meta) => {
        instances++;
        this.calls.push(`${meta.instanceId}:create`);
        return this.#instance(meta, hooks, behavior, () => instances--);
      },
      close: async () => {
        if (instances > 0) throw new Error('library still has instances');
        this.calls.push(`${id}:close`);
        this.openLibraries--;
      },
    };
  }

  #instance(meta: InstanceMetadata, hooks: DriverHooks, b: FakeBehavior, gone: () => void): DriverInstance {
    const id = meta.instanceId;
    const ctx: FakeContext = {
      meta,
      emit: (...events) => queueMicrotask(() => hooks.onEvents(id, events)),
      getAppConfig: (key) => hooks.getAppConfig(id, key),
      callOtherPlugin: async (target, message) => hooks.callOtherPlugin(id, target, message),
      callOtherPluginRaw: (target, message) => hooks.callOtherPlugin(id, target, message),
      history: null,
      settings: null,
    };
    this.contexts.set(id, ctx);
    const log = (entry: string) => this.calls.push(`${id}:${entry}`);
    return {
      instanceId: id,
      lifecycle: async (entry): Promise<CallOutcome> => {
        log(entry);
        return b.lifecycle?.(ctx, entry) ?? { ok: true };
      },
      updateUi: async (events): Promise<FrameOutcome> => {
        log('update_ui');
        return { ok: true, tree: b.ui?.(ctx, events) ?? [] };
      },
      handleMessage: async (requestId, message, _options?: CallOptions): Promise<MessageOutcome> => {
        log('handle_message');
        return b.handle?.(ctx, requestId, message) ?? { ok: true, pending: false, reply: message };
      },
      sendJson: async (entry, json): Promise<CallOutcome> => {
        log(entry);
        if (entry === 'set_history') ctx.history = json;
        else ctx.settings = json;
        return { ok: true };
      },
      controlStream: async (streamId, control): Promise<CallOutcome> => {
        log(`stream_control:${control}`);
        return b.streamControl?.(ctx, streamId, control) ?? { ok: true };
      },
      grantCredit: (streamId, chunks) => {
        this.credit.push({ instanceId: id, streamId, chunks });
      },
      destroy: async () => {
        log('destroy');
        await b.destroy?.(ctx);
        gone();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
