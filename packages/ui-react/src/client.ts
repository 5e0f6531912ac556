import type {
  BridgeOp,
  BridgeRequest,
  BridgeResultOf,
  ErrorInfo,
  FrontendEvent,
  Snapshot,
} from '@plugin-interfaces/spec';

/** Connection state of a {@link PluginClient}: `open` only once the host's `hello` arrived. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** The arguments of one bridge operation: the request without its `id` and `op`. */
export type BridgeArgs<O extends BridgeOp> = Omit<Extract<BridgeRequest, { op: O }>, 'id' | 'op'>;

/** The resolved value of one bridge operation: the spec's per-op result type. */
export type BridgeResult<O extends BridgeOp> = BridgeResultOf<O>;

/** Something a client reports to its subscribers. */
export type ClientChange =
  | { readonly type: 'event'; readonly event: FrontendEvent }
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'host-error'; readonly error: ErrorInfo }
  | { readonly type: 'bad-frame'; readonly problems: readonly string[] };

/** A subscriber; called synchronously after the client's snapshot/status already changed. */
export type ClientListener = (change: ClientChange) => void;

/**
 * A transport-agnostic connection to a plugin host. Components only talk to this interface, so a
 * WebSocket bridge, an in-process host or a test fake can stand behind them.
 */
export interface PluginClient {
  /** Send one bridge request; resolves with the host's result or rejects with a `PluginClientError`. */
  request<O extends BridgeOp>(op: O, args: BridgeArgs<O>): Promise<BridgeResult<O>>;
  /** Listen to events, status changes, resyncs and bad frames. Returns the unsubscribe function. */
  subscribe(listener: ClientListener): () => void;
  /** The current state; a new object after every change, the same object otherwise. */
  snapshot(): Snapshot;
  /** The current connection state. */
  readonly status: ConnectionStatus;
}

/** The state before the host said hello: nothing loaded. */
export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({ plugins: [], instances: [], app_config: {} });
