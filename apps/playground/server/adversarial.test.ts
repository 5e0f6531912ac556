import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PluginHost } from '@plugin-interfaces/host-node';
import { type BridgeServer, createBridgeServer } from '@plugin-interfaces/host-node/bridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageOrigins } from './bridge-access.js';
import { openHost } from './open-host.js';
import { guardRequests } from './request-guard.js';
import { staticHandler } from './static-files.js';
import { buildRecorderPlugin } from './test-fixture-plugin.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, so RSS readings show what is retained rather than V8's slack. */
const gc = runInNewContext('gc') as () => void;

/** What the server answered: the HTTP status (0: none) and the whole response text. */
interface Answer {
  readonly status: number;
  readonly text: string;
}

/** One attack on the page server: raw bytes, the status it must get and the text naming the cause. */
interface Case {
  readonly name: string;
  readonly send: (port: number) => string | Buffer | Array<string | Buffer>;
  readonly status: number;
  readonly cause: RegExp;
  /** Text that must never be in the answer (files outside the build folder). */
  readonly never?: RegExp;
  /**
   * For floods: the most the process RSS may grow, in MiB, over three more rounds of the flood
   * after two warm-up rounds. The JavaScript heap after a full GC must stay within
   * {@link HEAP_BUDGET_MIB} over the same rounds (what the server retains).
   */
  readonly rssBudgetMiB?: number;
}

const get =
  (target: string, headers = '') =>
  (port: number) =>
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Connection: close\r\n\r\n`;

const upgrade =
  (target: string, extra = '') =>
  (port: number) =>
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

const MiB = 1024 * 1024;
/** See {@link Case.rssBudgetMiB}. */
const HEAP_BUDGET_MIB = 4;

const SECRET = /outside-the-build-folder/;
const INDEX = /<!doctype html>playground-index/;

const CASES: readonly Case[] = [
  { name: 'malformed percent-escape /%', send: get('/%'), status: 400, cause: /not a valid percent-encoded/ },
  { name: 'truncated UTF-8 escape /%E0%A4%A', send: get('/%E0%A4%A'), status: 400, cause: /percent-encoded/ },
  { name: 'overlong UTF-8 escape /%C0%AF', send: get('/%C0%AF'), status: 400, cause: /percent-encoded/ },
  { name: 'target that is not a URL //', send: get('//'), status: 400, cause: /percent-encoded URL path/ },
  { name: 'path traversal /../', send: get('/../secret.txt'), status: 200, cause: INDEX, never: SECRET },
  {
    name: 'encoded traversal %2e%2e',
    send: get('/%2e%2e/secret.txt'),
    status: 200,
    cause: INDEX,
    never: SECRET,
  },
  {
    name: 'encoded slash ..%2f',
    send: get('/assets/..%2f..%2fsecret.txt'),
    status: 200,
    cause: INDEX,
    never: SECRET,
  },
  {
    name: 'double-encoded traversal',
    send: get('/%252e%252e/secret.txt'),
    status: 200,
    cause: INDEX,
    never: SECRET,
  },
  {
    name: 'backslash traversal',
    send: get('/..%5c..%5csecret.txt'),
    status: 200,
    cause: INDEX,
    never: SECRET,
  },
  {
    name: 'absolute-form target',
    send: get('http://evil.example/../secret.txt'),
    status: 200,
    cause: INDEX,
    never: SECRET,
  },
  { name: 'NUL byte in the path', send: get('/assets/app.js%00.html'), status: 200, cause: INDEX },
  {
    name: '100 KiB URL',
    send: get(`/${'a'.repeat(100 * 1024)}`),
    status: 431,
    cause: /Request Header Fields Too Large/,
  },
  {
    name: '100 KiB header',
    send: get('/', `X-Pad: ${'p'.repeat(100 * 1024)}\r\n`),
    status: 431,
    cause: /Too Large/,
  },
  {
    name: 'method DELETE',
    send: (p) => `DELETE / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nConnection: close\r\n\r\n`,
    status: 405,
    cause: /Only GET and HEAD/,
  },
  {
    name: 'POST with a 1 MiB body',
    send: (p) => [
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: ${1024 * 1024}\r\nConnection: close\r\n\r\n`,
      Buffer.alloc(1024 * 1024, 0x61),
    ],
    status: 405,
    cause: /Allow: GET, HEAD/i,
  },
  {
    name: 'HEAD',
    send: (p) => `HEAD / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nConnection: close\r\n\r\n`,
    status: 200,
    cause: /text\/html/,
  },
  {
    name: 'Range request',
    send: get('/assets/app.js', 'Range: bytes=0-3\r\n'),
    status: 200,
    cause: /console\.log\(1\)/,
  },
  { name: 'request line that is not HTTP', send: () => 'GARBAGE\r\n\r\n', status: 400, cause: /Bad Request/ },
  {
    name: 'header with a bare LF in its value',
    send: () => 'GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n',
    status: 400,
    cause: /Bad Request/,
  },
  {
    name: 'WebSocket upgrade to the page path',
    send: upgrade('/'),
    status: 404,
    cause: /bridge is at \/bridge/,
  },
  { name: 'WebSocket upgrade to /%', send: upgrade('/%'), status: 404, cause: /No WebSocket endpoint/ },
  {
    name: 'Vite HMR upgrade in production mode',
    send: upgrade('/', 'Sec-WebSocket-Protocol: vite-hmr\r\n'),
    status: 404,
    cause: /No WebSocket endpoint/,
  },
  {
    name: 'bridge upgrade without a token',
    send: upgrade('/bridge'),
    status: 401,
    cause: /token is missing/,
  },
  {
    name: 'bridge upgrade from the default dev port origin',
    send: upgrade('/bridge?token=x', 'Origin: http://localhost:5173\r\n'),
    status: 403,
    cause: /Origin "http:\/\/localhost:5173" is not allowed/,
  },
  {
    name: 'flood: 2,000 pipelined GETs of malformed paths on one connection',
    send: (p) =>
      `${Array.from({ length: 1999 }, () => `GET /% HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`).join('')}${get('/%')(p)}`,
    status: 400,
    cause: /percent-encoded/,
    // RSS in the test worker also holds what the allocator keeps; the heap check catches leaks.
    rssBudgetMiB: 80,
  },
];

/** Send raw bytes and read the whole answer until the server closes, a 101 head arrives, or 5 s pass. */
function raw(port: number, data: string | Buffer | Array<string | Buffer>): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));
      resolve({ status: statuses.at(-1) ?? 0, text });
    };
    const timer = setTimeout(done, 5000);
    socket.on('data', (c) => {
      chunks.push(c);
      // A switched connection stays open: its head is the whole answer.
      if (/^HTTP\/1\.1 101 [\s\S]*\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    for (const part of Array.isArray(data) ? data : [data]) socket.write(part);
  });
}

describe('adversarial HTTP clients of the playground server: it stays up, the page and plugins keep answering', () => {
  let dir: string;
  let http: Server;
  let host: PluginHost;
  let bridge: BridgeServer;
  let port: number;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-adversarial-'));
    const dist = join(dir, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html>playground-index');
    await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'outside-the-build-folder');
    const pluginId = await buildRecorderPlugin(join(dir, 'plugins'));
    // The playground's wiring (playground.ts): guarded page handler, bridge on the same server.
    http = createServer(guardRequests(staticHandler(dist), (l) => logs.push(l)));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    port = (http.address() as { port: number }).port;
    host = await openHost({ pluginDirs: [join(dir, 'plugins')], isolated: true });
    bridge = await createBridgeServer({
      host,
      server: http,
      allowedOrigins: pageOrigins(port),
      log: (l) => logs.push(l),
    });
    const { instance_id } = await host.load(pluginId, { instanceId: 'witness' });
    await host.connect(instance_id);
  });

  afterAll(async () => {
    await bridge?.close();
    await host?.close();
    http?.closeAllConnections();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    await rm(dir, { recursive: true, force: true });
  });

  let nextId = 1;
  /** Ask the witness instance for an echo; resolves with the ms it took. */
  async function echoMs(): Promise<number> {
    const text = `ping ${nextId++}`;
    const t0 = performance.now();
    const { reply } = await host.handleMessage('witness', text, { timeoutMs: 200 });
    expect(reply).toBe(text);
    return performance.now() - t0;
  }

  it('has at least 20 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(20));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, async (_name, attack) => {
    const flood = attack.rssBudgetMiB !== undefined;
    for (let i = 0; flood && i < 2; i++) await raw(port, attack.send(port));
    gc();
    const before = process.memoryUsage();
    for (let i = 0; flood && i < 2; i++) await raw(port, attack.send(port));
    const answer = await raw(port, attack.send(port));
    gc();
    const after = process.memoryUsage();
    const rssGrowthMiB = (after.rss - before.rss) / MiB;
    const heapGrowthMiB = (after.heapUsed - before.heapUsed) / MiB;

    expect(answer.status).toBe(attack.status);
    expect(answer.text).toMatch(attack.cause);
    if (attack.never) expect(answer.text).not.toMatch(attack.never);
    if (flood) {
      expect(rssGrowthMiB).toBeLessThan(attack.rssBudgetMiB);
      expect(heapGrowthMiB).toBeLessThan(HEAP_BUDGET_MIB);
    }

    // Alive: the page is served, the bridge upgrades a good client, the plugin answers within 200 ms.
    const page = await raw(port, get('/')(port));
    expect(page.status).toBe(200);
    const good = await raw(port, upgrade(`/bridge?token=${bridge.token}`)(port));
    expect(good.status).toBe(101);
    expect(await echoMs()).toBeLessThan(200);
    expect(logs.filter((l) => l.startsWith('http:'))).toEqual([]);
  });
});
