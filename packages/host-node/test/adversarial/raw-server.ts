import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that hands each HTTP request's socket and path to `answer`, raw. */
export interface RawServer extends AsyncDisposable {
  readonly url: string;
}

/**
 * Start a {@link RawServer}: `answer` writes whatever bytes it likes (lying headers, endless or
 * dripping bodies); every socket is destroyed on dispose, timers included via `onClose`.
 */
export async function startRawServer(answer: (socket: Socket, path: string) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      answer(socket, head.split(' ')[1] ?? '/');
    };
    socket.on('data', onData);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** Write chunks to `socket` every `ms` until it closes; returns nothing, stops by itself. */
export function drip(socket: Socket, chunk: string | Buffer, ms: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.write(chunk)) {
      if (socket.destroyed) clearInterval(timer);
    }
  }, ms);
  socket.on('close', () => clearInterval(timer));
}
