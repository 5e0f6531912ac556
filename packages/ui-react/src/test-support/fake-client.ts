import type { BridgeOp, FrontendEvent, Snapshot } from '@plugin-interfaces/spec';
import type { BridgeArgs, BridgeResult, ClientListener, ConnectionStatus, PluginClient } from '../client.js';
import { applyFrontendEvent } from '../state.js';

/** A recorded request. */
export interface SentRequest {
  readonly op: BridgeOp;
  readonly args: unknown;
}

/** An in-memory PluginClient: records requests, lets tests push events. */
export class FakeClient implements PluginClient {
  readonly requests: SentRequest[] = [];
  status: ConnectionStatus = 'open';
  /** What `request` answers; a function of the request, or a fixed value. */
  answer: (op: BridgeOp, args: unknown) => Promise<unknown> = () => Promise.resolve(null);
  private current: Snapshot;
  private readonly listeners = new Set<ClientListener>();

  constructor(snapshot: Snapshot) {
    this.current = snapshot;
  }

  request<O extends BridgeOp>(op: O, args: BridgeArgs<O>): Promise<BridgeResult<O>> {
    this.requests.push({ op, args });
    return this.answer(op, args) as Promise<BridgeResult<O>>;
  }

  subscribe(listener: ClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Snapshot {
    return this.current;
  }

  /** Apply a host event as the real client would. */
  push(event: FrontendEvent): void {
    this.current = applyFrontendEvent(this.current, event);
    for (const l of this.listeners) l({ type: 'event', event });
  }

  /** The requests of one op. */
  sent(op: BridgeOp): unknown[] {
    return this.requests.filter((r) => r.op === op).map((r) => r.args);
  }
}
