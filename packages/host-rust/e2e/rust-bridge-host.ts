import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BridgeHost, BridgeStreamControl } from '../../host-node/src/bridge/index.js';
import { HostError } from '../../host-node/src/errors.js';
import type { FrontendEvent, Snapshot, UiEvent } from '../../spec/src/index.js';

type ErrorInfo = { code: string; message: string; detail?: unknown };

/**
 * host-node's `BridgeHost` port over a `host-rust-bridge` child process: each call is one JSON
 * request line on its stdin, answered by the `result` line with the same id; `event` lines go to
 * the subscribers. This is the "tiny relay": host-node's WebSocket bridge server (token, origin and
 * frame checks, batching) in front of host-rust.
 */
export class RustBridgeHost implements BridgeHost, AsyncDisposable {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: FrontendEvent) => void>();
  private nextId = 1;
  /** Resolves with the hello snapshot. */
  readonly ready: Promise<Snapshot>;

  constructor(binary: string, pluginDirs: readonly string[]) {
    this.child = spawn(binary, [...pluginDirs], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.resume();
    let hello: (s: Snapshot) => void = () => undefined;
    this.ready = new Promise((r) => {
      hello = r;
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const frame = JSON.parse(line) as {
        type: string;
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: ErrorInfo;
        event?: FrontendEvent;
        snapshot?: Snapshot;
      };
      if (frame.type === 'hello' && frame.snapshot) hello(frame.snapshot);
      else if (frame.type === 'event' && frame.event) for (const l of this.listeners) l(frame.event);
      else if (frame.type === 'result' && frame.id !== undefined) {
        const w = this.waiting.get(frame.id);
        this.waiting.delete(frame.id);
        if (frame.ok) w?.resolve(frame.value);
        else {
          const e = frame.error ?? { code: 'INTERNAL', message: 'no error info' };
          w?.reject(new HostError(e.code as never, e.message, { detail: e.detail }));
        }
      }
    });
  }

  private request(op: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  snapshot(): Promise<Snapshot> {
    return this.request('snapshot') as Promise<Snapshot>;
  }
  rescan(): Promise<unknown> {
    return this.request('rescan');
  }
  load(
    pluginId: string,
    options: { instanceId?: string; settings?: Record<string, unknown> } = {},
  ): Promise<unknown> {
    return this.request('load', {
      plugin_id: pluginId,
      ...(options.instanceId === undefined ? {} : { instance_id: options.instanceId }),
      ...(options.settings === undefined ? {} : { settings: options.settings }),
    });
  }
  unload(instanceId: string): Promise<unknown> {
    return this.request('unload', { instance_id: instanceId });
  }
  reload(pluginId: string): Promise<unknown> {
    return this.request('reload', { plugin_id: pluginId });
  }
  connect(instanceId: string): Promise<unknown> {
    return this.request('connect', { instance_id: instanceId });
  }
  disconnect(instanceId: string): Promise<unknown> {
    return this.request('disconnect', { instance_id: instanceId });
  }
  handleMessage(instanceId: string, text: string): Promise<unknown> {
    return this.request('send_message', { instance_id: instanceId, message: text });
  }
  history(instanceId: string, query: { before?: string; limit?: number }): Promise<unknown> {
    return this.request('history', { instance_id: instanceId, ...query });
  }
  dispatchUiEvent(instanceId: string, event: UiEvent): Promise<unknown> {
    return this.request('ui_event', { instance_id: instanceId, event });
  }
  controlStream(instanceId: string, streamId: string, control: BridgeStreamControl): Promise<unknown> {
    return this.request('stream_control', { instance_id: instanceId, stream_id: streamId, control });
  }
  setAppConfig(key: string, value: unknown): Promise<unknown> {
    return this.request('set_app_config', { key, value });
  }
  setSettings(instanceId: string, settings: Record<string, unknown>): Promise<unknown> {
    return this.request('set_settings', { instance_id: instanceId, settings });
  }
  subscribe(listener: (e: FrontendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end(); // the binary unloads everything and exits when stdin closes
    await exited;
  }
}
