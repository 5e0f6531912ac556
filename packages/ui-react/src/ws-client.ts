import {
  BRIDGE_MAX_FRAME,
  type BridgeOp,
  type BridgeServerFrame,
  createValidator,
  Snapshot,
  tryParseJson,
  UiNode,
  validators,
} from '@plugin-interfaces/spec';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import {
  type BridgeArgs,
  type BridgeResult,
  type ClientChange,
  type ClientListener,
  type ConnectionStatus,
  EMPTY_SNAPSHOT,
  type PluginClient,
} from './client.js';
import { PluginClientError } from './errors.js';
import { applyFrontendEvent } from './state.js';

/** The part of the DOM `WebSocket` the client uses, so tests can inject a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

/** A constructor like the DOM `WebSocket`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link createWebSocketClient}. */
export interface WebSocketClientOptions {
  /** The bridge URL, e.g. `ws://127.0.0.1:5174/bridge`; relative URLs resolve against the page. */
  readonly url: string;
  /** The bridge token; sent as the `token` query parameter. */
  readonly token: string;
  /** The WebSocket implementation; defaults to `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Reconnect timing (exponential, capped). */
  readonly backoff?: BackoffOptions;
}

/** A {@link PluginClient} over a WebSocket; `close()` (or `using`) stops reconnecting for good. */
export interface WebSocketPluginClient extends PluginClient, Disposable {
  close(): void;
}

interface Pending {
  readonly op: BridgeOp;
  resolve(value: unknown): void;
  reject(error: PluginClientError): void;
}

const OPEN = 1;
let snapshotValidator: ReturnType<typeof makeSnapshotValidator> | undefined;
const makeSnapshotValidator = () => createValidator(Snapshot, [UiNode]);

/**
 * Connect to a host's WebSocket bridge. Every inbound frame is parsed and checked against the
 * spec's `BridgeServerFrame` schema; a bad frame is reported to subscribers as `bad-frame` and
 * otherwise ignored. On every (re)connect the `hello` snapshot replaces the local state, so a
 * client that missed events while away is consistent again. When the connection drops, pending
 * requests reject with a retryable `PluginClientError` (`reason: 'disconnected'`) and the client
 * reconnects with exponential back-off.
 */
export function createWebSocketClient(options: WebSocketClientOptions): WebSocketPluginClient {
  const Ctor = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
  if (Ctor === undefined) throw new Error('No WebSocket implementation: pass options.WebSocket.');
  const url = bridgeUrl(options.url, options.token);
  const listeners = new Set<ClientListener>();
  const pending = new Map<number, Pending>();
  const queued: string[] = [];
  let snapshot: Snapshot = EMPTY_SNAPSHOT;
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let nextId = 1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const emit = (change: ClientChange): void => {
    for (const listener of [...listeners]) listener(change);
  };
  const setStatus = (next: ConnectionStatus): void => {
    if (status === next) return;
    status = next;
    emit({ type: 'status', status });
  };

  const failPending = (reason: 'disconnected' | 'closed'): void => {
    const message =
      reason === 'closed' ? 'The plugin client was closed.' : 'The connection to the plugin host was lost.';
    for (const p of pending.values())
      p.reject(new PluginClientError(reason, 'CANCELLED', message, { retryable: reason === 'disconnected' }));
    pending.clear();
    queued.length = 0;
  };

  const onFrame = (frame: BridgeServerFrame): void => {
    switch (frame.type) {
      case 'hello':
        attempt = 0;
        snapshot = frame.snapshot;
        emit({ type: 'snapshot', snapshot });
        for (const data of queued.splice(0)) socket?.send(data);
        setStatus('open');
        return;
      case 'event':
        snapshot = applyFrontendEvent(snapshot, frame.event);
        emit({ type: 'event', event: frame.event });
        return;
      case 'result': {
        const p = pending.get(frame.id);
        if (p === undefined) {
          emit({ type: 'bad-frame', problems: [`result for unknown request id ${frame.id}`] });
          return;
        }
        pending.delete(frame.id);
        if (!frame.ok) p.reject(PluginClientError.fromRemote(frame.error));
        else if (p.op === 'snapshot') onSnapshotResult(p, frame.value);
        else p.resolve(frame.value);
        return;
      }
      case 'error':
        emit({ type: 'host-error', error: frame.error });
        return;
    }
  };

  const onSnapshotResult = (p: Pending, value: unknown): void => {
    snapshotValidator ??= makeSnapshotValidator();
    if (!snapshotValidator.check(value)) {
      const problems = snapshotValidator.errors(value);
      emit({ type: 'bad-frame', problems });
      p.reject(
        new PluginClientError('bad-frame', 'BRIDGE_BAD_FRAME', `Invalid snapshot: ${problems.join('; ')}`),
      );
      return;
    }
    snapshot = value;
    emit({ type: 'snapshot', snapshot });
    p.resolve(value);
  };

  const onMessage = (data: unknown): void => {
    const checked = parseFrame(data);
    if (checked.frame !== undefined) onFrame(checked.frame);
    else emit({ type: 'bad-frame', problems: checked.problems });
  };

  const connect = (): void => {
    timer = undefined;
    setStatus('connecting');
    const ws = new Ctor(url);
    socket = ws;
    ws.onmessage = (ev) => {
      if (socket === ws) onMessage(ev.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failPending('disconnected');
      if (closed) return;
      setStatus('closed');
      timer = setTimeout(connect, backoffDelay(attempt++, options.backoff));
    };
  };

  const client: WebSocketPluginClient = {
    get status() {
      return status;
    },
    snapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    request<O extends BridgeOp>(op: O, args: BridgeArgs<O>): Promise<BridgeResult<O>> {
      if (closed)
        return Promise.reject(new PluginClientError('closed', 'HOST_CLOSED', 'The plugin client is closed.'));
      const id = nextId++;
      const frame = { ...args, id, op };
      const check = validators.bridgeRequest;
      if (!check.check(frame)) {
        const problems = check.errors(frame);
        return Promise.reject(
          new PluginClientError(
            'invalid-request',
            'INVALID_JSON',
            `Invalid ${op} request: ${problems.join('; ')}`,
          ),
        );
      }
      return new Promise<BridgeResult<O>>((resolve, reject) => {
        pending.set(id, { op, resolve: (v) => resolve(v as BridgeResult<O>), reject });
        const data = JSON.stringify(frame);
        if (status === 'open' && socket?.readyState === OPEN) socket.send(data);
        else queued.push(data);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const ws = socket;
      socket = null;
      failPending('closed');
      ws?.close(1000, 'client closed');
      setStatus('closed');
    },
    [Symbol.dispose]() {
      client.close();
    },
  };
  connect();
  return client;
}

/** Parse and check one inbound frame: the frame, or why it is not one. */
function parseFrame(
  data: unknown,
): { frame: BridgeServerFrame; problems?: never } | { frame?: never; problems: string[] } {
  if (typeof data !== 'string') return { problems: ['frame is not text'] };
  if (data.length > BRIDGE_MAX_FRAME) return { problems: ['frame is too large'] };
  const parsed = tryParseJson(data);
  if (!parsed.ok) return { problems: [`invalid JSON: ${parsed.error}`] };
  const check = validators.bridgeServerFrame;
  return check.check(parsed.value) ? { frame: parsed.value } : { problems: check.errors(parsed.value) };
}

/** The bridge URL with `?token=` set; relative URLs resolve against the current page. */
export function bridgeUrl(url: string, token: string): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const u = new URL(url, base);
  u.searchParams.set('token', token);
  return u.toString();
}
