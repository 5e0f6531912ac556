import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  BRIDGE_MAX_FRAME,
  type BridgeServerFrame,
  type FrontendEvent,
  LIMITS,
} from '@plugin-interfaces/spec';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { checkUpgrade, defaultOrigins, loopbackHosts, newToken, type Refusal, requestUrl } from './access.js';
import { errorInfoOf, runRequest } from './dispatch.js';
import { badFrameReply, eventFrame, helloFrame, parseRequest } from './frames.js';
import { type BridgeHost, listenToHost } from './host-port.js';
import { Outbox } from './outbox.js';

/** Options of {@link createBridgeServer}. */
export interface BridgeServerOptions {
  /** The plugin host the browser drives. */
  readonly host: BridgeHost;
  /** Attach to this HTTP server (it must listen on loopback) instead of starting one. */
  readonly server?: Server;
  /** Port of the standalone server; 0 (default) picks a free one. Ignored with `server`. */
  readonly port?: number;
  /** Interface of the standalone server; default `127.0.0.1`. Ignored with `server`. */
  readonly hostname?: string;
  /** URL path of the WebSocket endpoint; default `/bridge`. */
  readonly path?: string;
  /** The token clients must present as `?token=`; default: 32 random bytes per start. */
  readonly token?: string;
  /**
   * Origins allowed to connect; default this server's own origin (the port it really listens on,
   * as `127.0.0.1` and `localhost`). A page served from elsewhere (a separate dev server) must be
   * listed here.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * With `server`: upgrade requests for another endpoint on the same server that its owner
   * handles (e.g. Vite's HMR socket); the bridge leaves them alone. Every other upgrade that is
   * not for `path` is refused with 404 and its socket destroyed.
   */
  readonly passUpgrade?: (req: IncomingMessage) => boolean;
  /** Largest inbound frame in bytes (larger ones close the connection with 1009). */
  readonly maxFrameBytes?: number;
  /** Unsent bytes in a client's socket above which its stream frames coalesce; default `LIMITS.bridgeHighWaterBytes`. */
  readonly highWaterBytes?: number;
  /** Bytes waiting for a client above which it is closed as too slow; default `LIMITS.bridgeMaxQueuedBytes`. */
  readonly maxQueuedBytes?: number;
  /**
   * How long a stream's `stream_data` chunks are collected into one frame, in ms (0: until the
   * next turn of the event loop); `false` sends one frame per chunk. Default
   * {@link DEFAULT_STREAM_BATCH_MS}. Other frames never wait for a batch.
   */
  readonly streamBatchMs?: number | false;
  /** Receives one line per notable connection event (refusals, slow clients). */
  readonly log?: (line: string) => void;
}

/** Default {@link BridgeServerOptions.streamBatchMs}. */
export const DEFAULT_STREAM_BATCH_MS = 0;

/** A running bridge; `close()` (or `await using`) disconnects every client. */
export interface BridgeServer extends AsyncDisposable {
  /** `ws://127.0.0.1:<port><path>` without the token. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  /** Number of open client connections. */
  readonly clientCount: number;
  close(): Promise<void>;
}

interface Client {
  readonly ws: WebSocket;
  readonly outbox: Outbox;
  /** Events that arrived while the hello snapshot was being taken (at most `LIMITS.eventBuffer`). */
  early: FrontendEvent[] | null;
}

/**
 * Serve a plugin host to browsers over WebSocket. Only loopback is served: the `Host` header must
 * name 127.0.0.1/localhost and this port (no DNS rebinding), a browser's `Origin` must be an
 * allowed one (default: this server's own origin on the port it really listens on), and the
 * per-start token must match (compared in constant time); otherwise the upgrade is refused with
 * HTTP 403/401. An upgrade to any other path is refused with 404 (unless `passUpgrade` claims it
 * for the server's owner), one whose target does not parse with 400; every refused socket is
 * destroyed. Each connection gets `hello` with a snapshot, then every host event.
 *
 * Each inbound frame is checked at the door: JSON nested deeper than `LIMITS.maxJsonDepth`, an
 * app-config value over `LIMITS.maxAppConfigValueBytes` or settings over
 * `LIMITS.maxSettingsBytes` get `PAYLOAD_TOO_LARGE`; anything else off the schema (keys outside
 * `CLIENT_KEY_PATTERN` included) gets `BRIDGE_BAD_FRAME` naming the field; the connection stays
 * usable. Sending never throws: a frame that cannot be serialized or is over the frame cap fails
 * its own request (or is reported as an `error` frame), and an oversized stream chunk is split.
 * Stream data is batched per stream for at most one tick; slow clients get it further coalesced
 * and are closed (1008) when more than `LIMITS.bridgeMaxQueuedBytes` wait.
 */
export async function createBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const ownServer = options.server === undefined;
  const server = options.server ?? createServer((_req, res) => res.writeHead(426).end('WebSocket only\n'));
  if (!server.listening) {
    if (ownServer) server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  }
  const { port, address } = server.address() as AddressInfo;
  const path = options.path ?? '/bridge';
  const token = options.token ?? newToken();
  const log = options.log ?? (() => undefined);
  // A failed accept (EMFILE when file descriptors run out) is an 'error' event on the server:
  // without a listener it would end the process.
  if (ownServer) server.on('error', (e) => log(`bridge: server error: ${e.message}`));
  const rules = {
    token,
    hosts: loopbackHosts(port),
    origins: options.allowedOrigins
      ? new Set(options.allowedOrigins.map((o) => o.toLowerCase()))
      : defaultOrigins(port, address),
  };
  const batchMs = options.streamBatchMs ?? DEFAULT_STREAM_BATCH_MS;
  const limits = {
    highWaterBytes: options.highWaterBytes ?? LIMITS.bridgeHighWaterBytes,
    maxQueuedBytes: options.maxQueuedBytes ?? LIMITS.bridgeMaxQueuedBytes,
    maxFrameBytes: BRIDGE_MAX_FRAME,
    ...(batchMs === false ? {} : { batchMs }),
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? BRIDGE_MAX_FRAME });
  const clients = new Set<Client>();

  const stopListening = listenToHost(options.host, (event) => {
    for (const c of clients) {
      try {
        if (c.early === null) c.outbox.push(eventFrame(event));
        else if (c.early.length < LIMITS.eventBuffer) c.early.push(event);
        else abandon(c, `the host's snapshot took so long that ${c.early.length} events waited`);
      } catch (e) {
        log(`bridge: could not pass an event on: ${messageOf(e)}`);
      }
    }
  });

  /** Give up on a client that cannot be served (its buffered events are dropped with it). */
  const abandon = (c: Client, why: string): void => {
    clients.delete(c);
    c.outbox.stop();
    c.early = [];
    log(`bridge: closing a client: ${why}`);
    c.ws.close(1011, `Closing: ${why}.`.slice(0, 120));
  };

  const onConnection = (ws: WebSocket): void => {
    const outbox = new Outbox(ws, limits, (queued) => {
      log(`bridge: closing a client that fell ${queued} bytes behind`);
      ws.close(1008, `Client too slow: ${Math.round(queued / 1024)} KiB of events waiting.`);
      setTimeout(() => ws.terminate(), 2000).unref();
    });
    const client: Client = { ws, outbox, early: [] };
    clients.add(client);
    ws.on('close', () => {
      clients.delete(client);
      outbox.stop();
    });
    ws.on('error', (e) => log(`bridge: connection error: ${e.message}`));
    ws.on('message', (data, isBinary) => {
      try {
        onMessage(outbox, data, isBinary);
      } catch (e) {
        log(`bridge: a request failed outside its handler: ${messageOf(e)}`);
      }
    });
    const hello = (snapshot: Parameters<typeof helloFrame>[0]): void => {
      outbox.push(helloFrame(snapshot));
      for (const event of client.early ?? []) outbox.push(eventFrame(event));
      client.early = null;
    };
    const fail = (e: unknown): void => {
      const frame: BridgeServerFrame = { type: 'error', error: errorInfoOf(e) };
      outbox.push(frame);
      ws.close(1011, 'The host could not take a snapshot.');
    };
    try {
      const snap = options.host.snapshot();
      if (snap instanceof Promise)
        snap.then(hello, fail).catch((e: unknown) => log(`bridge: could not send hello: ${messageOf(e)}`));
      else hello(snap);
    } catch (e) {
      fail(e);
    }
  };

  const onMessage = (outbox: Outbox, data: RawData, isBinary: boolean): void => {
    const parsed = parseRequest(isBinary ? null : textOf(data));
    if ('bad' in parsed) {
      outbox.push(badFrameReply(parsed.bad));
      return;
    }
    const { id } = parsed.request;
    runRequest(options.host, parsed.request)
      .then(
        (value): void => outbox.push({ type: 'result', id, ok: true, value }),
        (e: unknown): void => outbox.push({ type: 'result', id, ok: false, error: errorInfoOf(e) }),
      )
      .catch((e: unknown) => log(`bridge: could not answer request ${id}: ${messageOf(e)}`));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node hands the socket over without an error listener: a reset must not become uncaught.
    socket.on('error', () => undefined);
    try {
      const url = requestUrl(req.url);
      if (url !== null && url.pathname !== path && options.passUpgrade?.(req) === true) return;
      const refusal =
        url === null || url.pathname === path
          ? checkUpgrade(req, rules)
          : { status: 404 as const, reason: `No WebSocket endpoint at this path; the bridge is at ${path}.` };
      if (refusal) {
        log(`bridge: refused a connection: ${refusal.reason}`);
        refuse(socket, refusal);
        return;
      }
      wss.handleUpgrade(req, socket, head, onConnection);
    } catch (e) {
      log(`bridge: upgrade failed: ${messageOf(e)}`);
      socket.destroy();
    }
  };
  server.on('upgrade', onUpgrade);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopListening();
      server.off('upgrade', onUpgrade);
      const gone = [...clients].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.outbox.stop();
            c.ws.once('close', () => resolve());
            c.ws.close(1001, 'The plugin host is shutting down.');
            setTimeout(() => {
              c.ws.terminate();
              resolve();
            }, 1000).unref();
          }),
      );
      await Promise.all(gone);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (ownServer) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    })();
    return closing;
  };

  return {
    url: `ws://127.0.0.1:${port}${path}`,
    token,
    port,
    get clientCount() {
      return clients.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

const STATUS_TEXT: Record<Refusal['status'], string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

/** Answer a refused upgrade with a plain HTTP response, then destroy the socket (no half-open leftovers). */
function refuse(socket: Duplex, refusal: Refusal): void {
  const code = refusal.status === 400 ? 'BRIDGE_BAD_FRAME' : 'BRIDGE_UNAUTHORIZED';
  const body = `${code}: ${refusal.reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.once('close', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status]}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The text of a message, whichever form `ws` delivered it in. */
function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
