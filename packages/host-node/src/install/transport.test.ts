import { describe, expect, it } from 'vitest';
import { HostError } from '../errors.js';
import { download } from './download.js';
import { fetchIndex } from './plugin-index.js';
import { startTestServer } from './test-server.js';
import { isLoopbackHost } from './transport-policy.js';

async function failure(p: Promise<unknown>): Promise<HostError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof HostError)) throw new Error(`expected a HostError, got ${String(e)}`);
  return e;
}

/** A fetch that records what it was asked and answers from a table (no network). */
function scripted(answers: Record<string, () => Response>) {
  const asked: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    asked.push(url);
    const answer = answers[url];
    if (answer === undefined) throw new Error(`unexpected fetch of ${url}`);
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const base = { maxBytes: 1000, timeoutMs: 2000, what: 'the plugin index' };

describe('install transport', () => {
  it('refuses plain http to a remote host without sending anything, whatever the option', async () => {
    const { fetch, asked } = scripted({});
    for (const allowLoopbackHttp of [false, true]) {
      const err = await failure(
        download(new URL('http://plugins.example/index.json'), { ...base, fetch, allowLoopbackHttp }),
      );
      expect(err.code).toBe('INSTALL_FAILED');
      expect(err.message).toMatch(/uses plain http; install downloads only over https/);
    }
    expect(asked).toEqual([]);
  });

  it('refuses plain http to loopback unless allowLoopbackHttp is set', async () => {
    await using server = await startTestServer();
    server.routes.set('/index.json', { body: '{"plugins":[]}' });
    expect((await failure(fetchIndex(`${server.url}/index.json`))).message).toMatch(/plain http/);
    expect(server.requests).toEqual([]);
    expect((await fetchIndex(`${server.url}/index.json`, { allowLoopbackHttp: true })).plugins).toEqual([]);
  });

  it('refuses file: and other schemes', async () => {
    expect((await failure(download(new URL('file:///etc/passwd'), base))).message).toMatch(/not https/);
  });

  it('downloads over https', async () => {
    const { fetch } = scripted({
      'https://plugins.example/index.json': () => new Response('{"plugins":[]}'),
    });
    expect(
      (await download(new URL('https://plugins.example/index.json'), { ...base, fetch })).bytes.toString(),
    ).toBe('{"plugins":[]}');
  });

  it('follows a redirect within the same origin', async () => {
    await using server = await startTestServer();
    server.routes.set('/old.json', { status: 302, body: '', headers: { location: '/new.json' } });
    server.routes.set('/new.json', { body: 'NEW' });
    const got = await download(new URL(`${server.url}/old.json`), { ...base, allowLoopbackHttp: true });
    expect(got.bytes.toString()).toBe('NEW');
    expect(server.requests).toEqual(['/old.json', '/new.json']);
  });

  it('refuses a redirect to another origin without requesting it', async () => {
    await using server = await startTestServer();
    await using other = await startTestServer();
    other.routes.set('/lib.so', { body: 'EVIL' });
    server.routes.set('/lib.so', { status: 301, body: '', headers: { location: `${other.url}/lib.so` } });
    const err = await failure(
      download(new URL(`${server.url}/lib.so`), { ...base, allowLoopbackHttp: true }),
    );
    expect(err.code).toBe('INSTALL_FAILED');
    expect(err.message).toMatch(/redirects to another origin/);
    expect(other.requests).toEqual([]);
  });

  it('refuses an https URL redirected to http on the same host (another origin)', async () => {
    const { fetch, asked } = scripted({
      'https://plugins.example/lib.so': () =>
        new Response(null, { status: 307, headers: { location: 'http://plugins.example/lib.so' } }),
    });
    const err = await failure(download(new URL('https://plugins.example/lib.so'), { ...base, fetch }));
    expect(err.message).toMatch(/another origin/);
    expect(asked).toEqual(['https://plugins.example/lib.so']);
  });

  it('gives up after too many redirects', async () => {
    await using server = await startTestServer();
    server.routes.set('/loop', { status: 302, body: '', headers: { location: '/loop' } });
    const err = await failure(download(new URL(`${server.url}/loop`), { ...base, allowLoopbackHttp: true }));
    expect(err.message).toMatch(/more than \d+ redirects/);
  });

  it('knows which hosts are loopback', () => {
    expect(['127.0.0.1', '127.8.0.1', 'localhost', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', 'example.com', '127.0.0.1.example.com', '[::2]'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
