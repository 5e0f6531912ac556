import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { guardRequests, type RequestHandler } from './request-guard.js';

async function serve(handler: RequestHandler) {
  const logs: string[] = [];
  const server = createServer(guardRequests(handler, (line) => logs.push(line)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, logs, [Symbol.dispose]: () => server.close() };
}

describe('guardRequests', () => {
  it('answers 500 and logs when a handler throws, and the server keeps answering', async () => {
    using s = await serve((req, res) => {
      if (req.url === '/boom') throw new Error('sync boom');
      res.end('ok');
    });
    const res = await fetch(`${s.base}/boom`);
    expect(res.status).toBe(500);
    expect(s.logs).toEqual([expect.stringContaining('GET /boom failed: sync boom')]);
    expect(await (await fetch(`${s.base}/fine`)).text()).toBe('ok');
  });

  it('answers 500 and logs when an async handler rejects (no unhandled rejection)', async () => {
    using s = await serve(async (req, res) => {
      await Promise.resolve();
      if (req.url === '/boom') throw new URIError('URI malformed');
      res.end('ok');
    });
    expect((await fetch(`${s.base}/boom`)).status).toBe(500);
    expect(s.logs[0]).toContain('URI malformed');
    expect(await (await fetch(`${s.base}/x`)).text()).toBe('ok');
  });

  it('drops the connection when the handler fails after the headers went out', async () => {
    using s = await serve(async (_req, res) => {
      res.writeHead(200);
      res.write('partial');
      await Promise.resolve();
      throw new Error('late');
    });
    await expect(fetch(`${s.base}/`).then((r) => r.text())).rejects.toThrow();
    expect(s.logs[0]).toContain('late');
  });
});
