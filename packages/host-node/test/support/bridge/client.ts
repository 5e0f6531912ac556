import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import { WebSocket } from 'ws';

/** A bridge client for tests: collects every frame and waits for the ones a test expects. */
export interface TestClient extends AsyncDisposable {
  readonly ws: WebSocket;
  readonly frames: BridgeServerFrame[];
  /** Resolve with the first frame (already received or future) that matches. */
  next(match: (f: BridgeServerFrame) => boolean, timeoutMs?: number): Promise<BridgeServerFrame>;
  send(data: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Open a client; resolves once the socket is open (the hello may still be on its way). */
export async function openClient(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const frames: BridgeServerFrame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as BridgeServerFrame);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (data) => ws.send(typeof data === 'string' ? data : JSON.stringify(data)),
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < frames.length; seen++) {
            const f = frames[seen]!;
            if (match(f)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(f);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${frames.length} frames`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async [Symbol.asyncDispose]() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

/** Try to open a client that should be refused; resolves with the HTTP status of the refusal. */
export function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the connection was accepted'));
    });
    ws.on('error', () => undefined);
  });
}
