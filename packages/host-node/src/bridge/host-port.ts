import type { FrontendEvent, Snapshot, UiEvent } from '@plugin-interfaces/spec';

/** A stream control the browser may send. */
export type BridgeStreamControl = 'pause' | 'resume' | 'cancel';

/**
 * The part of a `PluginHost` the bridge drives. `createPluginHost()` satisfies it; tests pass a
 * fake. Every method may return a value or a promise; whatever it resolves to becomes the
 * `value` of the request's `result` frame, and whatever it throws becomes `ok: false`.
 */
export interface BridgeHost {
  snapshot(): Snapshot | Promise<Snapshot>;
  rescan(): unknown;
  load(pluginId: string, options?: { instanceId?: string; settings?: Record<string, unknown> }): unknown;
  unload(instanceId: string): unknown;
  reload(pluginId: string): unknown;
  connect(instanceId: string): unknown;
  disconnect(instanceId: string): unknown;
  handleMessage(instanceId: string, text: string): unknown;
  /** One page of an instance's history (`host.history`), for clients that need more than the snapshot. */
  history(instanceId: string, query: { before?: string; limit?: number }): unknown;
  /** Empty an instance's history (`host.clearHistory`); `clear_history` refuses with UNSUPPORTED without it. */
  clearHistory?(instanceId: string): unknown;
  dispatchUiEvent(instanceId: string, event: UiEvent): unknown;
  controlStream(instanceId: string, streamId: string, control: BridgeStreamControl): unknown;
  setAppConfig(key: string, value: unknown): unknown;
  setSettings(instanceId: string, settings: Record<string, unknown>): unknown;
  /** The plugin processes (pid, memory, restarts), when the host can tell; `process_info` refuses otherwise. */
  processInfo?(): unknown;
  /**
   * Synchronous event subscription (preferred: no event can fall between a snapshot and the
   * first event). Returns the unsubscribe function.
   */
  subscribe?(listener: (event: FrontendEvent) => void): () => void;
  /** The host's emitter, listened to for every event (`'*'`); may return the unsubscribe function. */
  on?(name: '*', listener: (event: FrontendEvent) => void): unknown;
  off?(name: '*', listener: (event: FrontendEvent) => void): unknown;
  /** Event stream; used when neither `subscribe` nor `on` exists (it delivers asynchronously). */
  events?(): AsyncIterable<FrontendEvent>;
}

/**
 * Listen to a host's frontend events through whichever subscription style it offers. Returns
 * the function that stops listening.
 */
export function listenToHost(host: BridgeHost, listener: (event: FrontendEvent) => void): () => void {
  if (typeof host.subscribe === 'function') return host.subscribe(listener);
  if (typeof host.on === 'function') {
    const off = host.on('*', listener);
    return typeof off === 'function' ? () => void off() : () => void host.off?.('*', listener);
  }
  if (typeof host.events === 'function') {
    const iterator = host.events()[Symbol.asyncIterator]();
    let stopped = false;
    const pump = async (): Promise<void> => {
      while (!stopped) {
        const next = await iterator.next();
        if (next.done) return;
        if (!stopped) listener(next.value);
      }
    };
    pump().catch(() => undefined);
    return () => {
      stopped = true;
      void iterator.return?.()?.catch?.(() => undefined);
    };
  }
  throw new TypeError('The host offers no event subscription (subscribe, events or on).');
}
