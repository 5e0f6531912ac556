import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '@plugin-interfaces/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/discovery/index.js';
import { createPluginHost, type PluginHost } from '../../src/index.js';
import { fetchIndex, installPlugin } from '../../src/install/index.js';
import { startTestServer, type TestServer } from '../../src/install/test-server.js';
import { drip, startRawServer } from './raw-server.js';
import {
  compilePlugin,
  MiB,
  pluginFolder,
  rssAfterGcMiB,
  scratch,
  settle,
  witnessAnswers,
} from './support.js';

/**
 * Index servers and downloads built to hurt install, all on 127.0.0.1: every attack ends in a
 * typed error naming the cause, nothing is left in the plugins folder, the host's in-process
 * witness plugin answers within 200 ms afterwards, and streamed attacks leave RSS bounded.
 */

const linux: Platform = { os: 'linux', arch: 'x64' };
const LOOP = { allowLoopbackHttp: true } as const;
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

interface Ctx {
  readonly server: TestServer;
  readonly pluginsDir: string;
  /** Raw servers a case starts are closed after it. */
  readonly raw: (answer: Parameters<typeof startRawServer>[0]) => Promise<string>;
}

interface InstallCase {
  readonly name: string;
  readonly run: (ctx: Ctx) => Promise<unknown>;
  readonly code: string;
  readonly cause: RegExp;
  readonly rssBudgetMiB?: number;
}

/** Publish plugin `id` with library bytes `lib` on the test server; `config` overrides the config text. */
function publish(server: TestServer, lib: string, options: { checksum?: string; config?: string } = {}) {
  server.routes.set('/index.json', {
    body: JSON.stringify({ plugins: [{ id: 'echo', version: '1.0.0', config_url: 'echo/config.toml' }] }),
  });
  server.routes.set('/echo/config.toml', {
    body:
      options.config ??
      '[plugin]\nid = "echo"\nname = "Echo"\nversion = "1.0.0"\ndescription = "d"\n' +
        `[download.linux-x64]\ndownload_url = "lib.so"\nchecksum = "${options.checksum ?? sha(lib)}"\n`,
  });
  server.routes.set('/echo/lib.so', { body: lib });
}

async function install(ctx: Ctx, indexUrl = `${ctx.server.url}/index.json`, timeoutMs?: number) {
  const index = await fetchIndex(indexUrl, LOOP);
  return installPlugin({
    index,
    id: 'echo',
    pluginsDir: ctx.pluginsDir,
    platform: linux,
    ...LOOP,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

const nested = (depth: number) => `{"plugins":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;

const CASES: readonly InstallCase[] = [
  {
    name: 'an index over the 4 MiB cap',
    run: ({ server }) => {
      server.routes.set('/index.json', { body: `{"plugins":[],"pad":"${'x'.repeat(5 * MiB)}"}` });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INSTALL_FAILED',
    cause: /larger than the limit of 4194304 bytes/,
    rssBudgetMiB: 48,
  },
  {
    name: 'an index without Content-Length that never stops (chunked)',
    run: async ({ raw }) => {
      const url = await raw((socket) => {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        drip(
          socket,
          Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
          1,
        );
      });
      return fetchIndex(`${url}/index.json`, LOOP);
    },
    code: 'INSTALL_FAILED',
    cause: /larger than the limit of 4194304 bytes/,
    rssBudgetMiB: 32,
  },
  {
    name: 'an index whose Content-Length claims 10 GB',
    run: async ({ raw }) => {
      const url = await raw((socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n{"plugins":[]}'),
      );
      return fetchIndex(`${url}/index.json`, LOOP);
    },
    code: 'INSTALL_FAILED',
    cause: /larger than the limit of 4194304 bytes/,
  },
  {
    name: 'an index whose Content-Length promises more than it sends',
    run: async ({ raw }) => {
      const url = await raw((socket) =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"plugins":[]}'),
      );
      return fetchIndex(`${url}/index.json`, LOOP);
    },
    code: 'INSTALL_FAILED',
    cause: /the transfer broke off after 14 bytes/,
  },
  {
    name: 'an index that is not JSON',
    run: ({ server }) => {
      server.routes.set('/index.json', { body: '<html>not an index</html>' });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INVALID_JSON',
    cause: /is not valid JSON/,
  },
  {
    name: 'an index with the wrong schema',
    run: ({ server }) => {
      server.routes.set('/index.json', { body: '{"plugins":{"echo":"1.0.0"}}' });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INVALID_JSON',
    cause: /expected \{ "plugins": \[\.\.\.\] \}/,
  },
  {
    name: 'an index nested 100,000 deep',
    run: ({ server }) => {
      server.routes.set('/index.json', { body: nested(100_000) });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INVALID_JSON',
    cause: /plugins\[0\]\.id must be a valid plugin id/,
  },
  {
    name: 'an index entry whose id escapes the plugins folder',
    run: ({ server }) => {
      server.routes.set('/index.json', {
        body: JSON.stringify({ plugins: [{ id: '../../etc', version: '1', config_url: 'x' }] }),
      });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INVALID_JSON',
    cause: /plugins\[0\]\.id must be a valid plugin id/,
  },
  {
    name: 'a library whose checksum does not match',
    run: (ctx) => {
      publish(ctx.server, 'library bytes', { checksum: sha('other bytes') });
      return install(ctx);
    },
    code: 'CHECKSUM_MISMATCH',
    cause: /has SHA-256 [0-9a-f]{64}, but its config\.toml expects [0-9a-f]{64}/,
  },
  {
    name: 'a library download that never ends (deadline)',
    run: (ctx) => {
      publish(ctx.server, 'x');
      ctx.server.routes.set('/echo/lib.so', { body: 'partial', hang: true });
      return install(ctx, undefined, 400);
    },
    code: 'INSTALL_FAILED',
    cause: /the transfer broke off after 7 bytes \(no answer within 400 ms\)/,
  },
  {
    name: 'a slow-drip library server (1 byte every 20 ms)',
    run: async (ctx) => {
      const url = await ctx.raw((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
        drip(socket, 'x', 20);
      });
      publish(ctx.server, 'x', {
        config:
          '[plugin]\nid = "echo"\nname = "Echo"\nversion = "1.0.0"\ndescription = "d"\n' +
          `[download.linux-x64]\ndownload_url = "${url}/lib.so"\nchecksum = "${sha('x')}"\n`,
      });
      return install(ctx, undefined, 400);
    },
    code: 'INSTALL_FAILED',
    cause: /no answer within 400 ms/,
  },
  {
    name: 'a redirect to another origin',
    run: (ctx) => {
      publish(ctx.server, 'x');
      ctx.server.routes.set('/echo/lib.so', {
        status: 302,
        body: '',
        headers: { Location: 'http://127.0.0.2:9/evil.so' },
      });
      return install(ctx);
    },
    code: 'INSTALL_FAILED',
    cause: /redirects to another origin \(http:\/\/127\.0\.0\.2:9\)/,
  },
  {
    name: 'a redirect loop within one origin',
    run: ({ server }) => {
      server.routes.set('/index.json', { status: 302, body: '', headers: { Location: '/index.json' } });
      return fetchIndex(`${server.url}/index.json`, LOOP);
    },
    code: 'INSTALL_FAILED',
    cause: /more than 5 redirects \(LIMITS\.maxInstallRedirects\)/,
  },
  {
    name: 'plain http without the loopback option',
    run: ({ server }) => {
      server.routes.set('/index.json', { body: '{"plugins":[]}' });
      return fetchIndex(`${server.url}/index.json`);
    },
    code: 'INSTALL_FAILED',
    cause: /uses plain http; install downloads only over https/,
  },
  {
    name: 'plain http to a host that is not loopback, even with the option',
    run: () => fetchIndex('http://example.invalid/index.json', LOOP),
    code: 'INSTALL_FAILED',
    cause: /uses plain http/,
  },
  {
    name: 'a config.toml whose library path leaves the plugin folder',
    run: (ctx) => {
      publish(ctx.server, 'x', {
        config:
          '[plugin]\nid = "echo"\nname = "Echo"\nversion = "1.0.0"\ndescription = "d"\nlibrary = "../../evil.so"\n' +
          `[download.linux-x64]\ndownload_url = "lib.so"\nchecksum = "${sha('x')}"\n`,
      });
      return install(ctx);
    },
    code: 'INSTALL_FAILED',
    cause: /\[plugin\] library "\.\.\/\.\.\/evil\.so" points outside the plugin folder/,
  },
  {
    name: 'a config.toml over LIMITS.maxConfigBytes (the cap discovery reads it with)',
    run: (ctx) => {
      publish(ctx.server, 'x', { config: `# ${'x'.repeat(2 * MiB)}\n` });
      return install(ctx);
    },
    code: 'INSTALL_FAILED',
    cause: new RegExp(`larger than the limit of ${LIMITS.maxConfigBytes} bytes`),
  },
];

describe('adversarial install sources: typed errors, nothing installed, the witness answers', () => {
  const tmp = scratch('install');
  let host: PluginHost;
  let n = 0;

  beforeAll(async () => {
    const library = join(tmp.dir, 'healthy.so');
    compilePlugin(library, 'healthy');
    const root = join(tmp.dir, 'witness');
    pluginFolder(root, 'healthy', library);
    host = await createPluginHost({ pluginDirs: [root], isolation: 'in-process' });
    await host.load('healthy', { instanceId: 'healthy' });
    await host.connect('healthy');
  });
  afterAll(async () => {
    await host?.close();
    tmp.dispose();
  });

  it('has at least 8 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(8));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, attack) => {
    await using server = await startTestServer();
    const raws: AsyncDisposable[] = [];
    const pluginsDir = join(tmp.dir, `plugins-${n}`);
    mkdirSync(pluginsDir);
    const flood = attack.rssBudgetMiB !== undefined;
    const rssBefore = flood ? rssAfterGcMiB() : 0;
    try {
      const r = await settle(
        attack.run({
          server,
          pluginsDir,
          raw: async (answer) => {
            const s = await startRawServer(answer);
            raws.push(s);
            return s.url;
          },
        }),
      );
      expect(r.code, r.text).toBe(attack.code);
      expect(r.text).toMatch(attack.cause);
    } finally {
      for (const s of raws) await s[Symbol.asyncDispose]();
    }
    if (flood) expect(rssAfterGcMiB() - rssBefore).toBeLessThan(attack.rssBudgetMiB ?? 0);
    // Nothing installed, no staging folder left behind.
    expect(readdirSync(pluginsDir)).toEqual([]);
    n++;
    await witnessAnswers(host, 'healthy', n);
  });
});
