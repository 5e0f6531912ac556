import { connect } from 'node:net';

/** What a raw request got back: the status (0 when none) and whether the server ended the connection. */
export interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly closedByServer: boolean;
}

/**
 * Send raw bytes to 127.0.0.1:`port` and collect the answer until the server ends the connection
 * or `timeoutMs` passes; then close the client side. Whether the server also let go of its side
 * shows in its connection count (see the tests), not here.
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 2000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

/** A WebSocket upgrade request's bytes. */
export function upgradeRequest(
  target: string,
  port: number,
  headers: Record<string, string | undefined> = {},
): string {
  const all: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...headers,
  };
  const lines = Object.entries(all)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Poll `read` until it returns `want` or the deadline passes; resolves with the last value. */
export async function pollUntil<T>(read: () => T | Promise<T>, want: T, deadlineMs = 3000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let value = await read();
  while (value !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 10));
    value = await read();
  }
  return value;
}
