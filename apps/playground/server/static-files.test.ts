import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticHandler } from './static-files.js';

describe('static page server', () => {
  let root: string;
  let base: string;
  let close: () => void;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pg-static-'));
    root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html>index');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    const server = createServer(staticHandler(root));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => {
      server.close();
      void rm(dir, { recursive: true, force: true });
    };
  });
  afterAll(() => close());

  it('serves files with their type and the security headers', async () => {
    const res = await fetch(`${base}/assets/app.js`);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers unknown paths with index.html', async () => {
    expect(await (await fetch(`${base}/some/route?token=x`)).text()).toBe('<!doctype html>index');
  });

  it('never serves files outside the build folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      expect(await (await fetch(`${base}${path}`)).text()).toBe('<!doctype html>index');
    }
  });

  it('answers malformed percent-escapes with 400 and keeps serving', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%C0%AF'])
      expect({ path, status: await statusOf(`${base}${path}`) }).toEqual({ path, status: 400 });
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
  });

  it('answers 500 when the page itself cannot be read, instead of an unhandled stream error', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'pg-static-empty-'));
    const server = createServer(staticHandler(empty));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await statusOf(url)).toBe(500);
      expect(await statusOf(url)).toBe(500);
    } finally {
      server.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

/** The status of a GET sent with the path exactly as written (fetch would normalize it). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
