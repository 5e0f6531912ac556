import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BridgeHarness,
  bridgeOverFakePlugins,
  nestedText,
  request,
} from '../../test/support/bridge/bridge-harness.js';
import { openClient, type TestClient } from '../../test/support/bridge/client.js';
import { rawRequest, upgradeRequest } from '../../test/support/bridge/raw-http.js';

/** What an attack got back: an HTTP status, a typed error code, or a close code, and its text. */
interface Observed {
  readonly status?: number;
  readonly code?: string;
  readonly closeCode?: number;
  readonly text: string;
}

/** One attack: what it sends and what it must get back. */
interface Case {
  readonly name: string;
  readonly run: (ctx: AttackContext) => Promise<Observed>;
  /** The typed answer: HTTP status, error code or WebSocket close code … */
  readonly expect: { status?: number; code?: string; closeCode?: number };
  /** … and the text that names the cause. */
  readonly cause: RegExp;
  /** For floods: the most the process RSS may grow, in MiB. */
  readonly rssBudgetMiB?: number;
}

interface AttackContext {
  readonly h: BridgeHarness;
  readonly port: number;
  readonly token: string;
  /** A fresh authenticated client for this case (closed afterwards). */
  client(): Promise<TestClient>;
}

/**
 * \`ws\` closes a connection whose frame breaks the protocol (too big: 1009, invalid UTF-8: 1007)
 * with the RFC 6455 code and no reason text; the cause is then named in the bridge's log line.
 */
const closeLogs: string[] = [];

const MiB = 1024 * 1024;

setFlagsFromString('--expose-gc');
/** A full garbage collection, so RSS readings show what is retained rather than V8's slack. */
const gc = runInNewContext('gc') as () => void;

/** The HTTP answer to a raw upgrade request. */
async function handshake(port: number, target: string, headers: Record<string, string | undefined> = {}) {
  const a = await rawRequest(port, upgradeRequest(target, port, headers));
  return { status: a.status, text: a.text };
}

/** Send raw text (or bytes) and return the first error answer: `result ok:false`, `error`, or the close. */
async function frame(c: TestClient, data: string | Buffer): Promise<Observed> {
  const seen = c.frames.length;
  if (typeof data === 'string') c.ws.send(data);
  else c.ws.send(data, { binary: true });
  const answer = c
    .next((f) => c.frames.indexOf(f) >= seen && (f.type === 'error' || (f.type === 'result' && !f.ok)), 5000)
    .then((f): Observed => {
      const error = f.type === 'error' || (f.type === 'result' && !f.ok) ? f.error : undefined;
      return error === undefined ? { text: '' } : { code: error.code, text: error.message };
    });
  const closed = c.closed.then((x): Observed => ({ closeCode: x.code, text: x.reason }));
  return Promise.race([answer, closed]);
}

/** The error of a request sent as an object. */
async function failing(c: TestClient, body: Record<string, unknown>): Promise<Observed> {
  const r = await request(c, body);
  return r.ok
    ? { text: `unexpected success: ${JSON.stringify(r.value)}` }
    : { code: r.error.code, text: r.error.message };
}

const validKey = 'dGhlIHNhbXBsZSBub25jZQ==';

const CASES: readonly Case[] = [
  // WebSocket handshakes
  {
    name: 'upgrade without a token',
    run: ({ port }) => handshake(port, '/bridge'),
    expect: { status: 401 },
    cause: /token is missing/,
  },
  {
    name: 'upgrade with a wrong token',
    run: ({ port }) => handshake(port, '/bridge?token=guess'),
    expect: { status: 401 },
    cause: /token is wrong/,
  },
  {
    name: 'upgrade with an empty token',
    run: ({ port }) => handshake(port, '/bridge?token='),
    expect: { status: 401 },
    cause: /token is wrong/,
  },
  {
    name: 'upgrade with a 12 KiB token',
    run: ({ port }) => handshake(port, `/bridge?token=${'t'.repeat(12 * 1024)}`),
    expect: { status: 401 },
    cause: /token is wrong/,
  },
  {
    name: 'upgrade from another web page (Origin)',
    run: ({ port, token }) => handshake(port, `/bridge?token=${token}`, { Origin: 'https://evil.example' }),
    expect: { status: 403 },
    cause: /Origin "https:\/\/evil\.example" is not allowed/,
  },
  {
    name: 'upgrade from the dev origin of another port',
    run: ({ port, token }) => handshake(port, `/bridge?token=${token}`, { Origin: 'http://localhost:5173' }),
    expect: { status: 403 },
    cause: /Origin "http:\/\/localhost:5173" is not allowed/,
  },
  {
    name: 'upgrade through DNS rebinding (Host)',
    run: ({ port, token }) => handshake(port, `/bridge?token=${token}`, { Host: `rebind.example:${port}` }),
    expect: { status: 403 },
    cause: /Host "rebind\.example:\d+" is not allowed/,
  },
  {
    name: 'upgrade to a path that is not the bridge',
    run: ({ port, token }) => handshake(port, `/admin?token=${token}`),
    expect: { status: 404 },
    cause: /No WebSocket endpoint at this path/,
  },
  {
    name: 'upgrade whose target is not a URL',
    run: ({ port }) => handshake(port, '//'),
    expect: { status: 400 },
    cause: /not a valid URL/,
  },
  {
    name: 'upgrade without Sec-WebSocket-Key',
    run: ({ port, token }) => handshake(port, `/bridge?token=${token}`, { 'Sec-WebSocket-Key': undefined }),
    expect: { status: 400 },
    cause: /Sec-WebSocket-Key/,
  },
  {
    name: 'upgrade with an unsupported WebSocket version',
    run: ({ port, token }) =>
      handshake(port, `/bridge?token=${token}`, {
        'Sec-WebSocket-Version': '99',
        'Sec-WebSocket-Key': validKey,
      }),
    expect: { status: 400 },
    cause: /Sec-WebSocket-Version/,
  },
  // Frames from an authenticated client
  {
    name: 'binary frame',
    run: async ({ client }) => frame(await client(), Buffer.from([0, 1, 2, 3])),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /not binary/,
  },
  {
    name: 'text that is not JSON',
    run: async ({ client }) => frame(await client(), '{"id":1,'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /not valid JSON/,
  },
  {
    name: 'JSON that is not an object',
    run: async ({ client }) => frame(await client(), '42'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /not a valid bridge request/,
  },
  {
    name: 'invalid UTF-8 in a text frame',
    run: async ({ client }) => {
      const c = await client();
      c.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false });
      const { code, reason } = await c.closed;
      return { closeCode: code, text: reason };
    },
    expect: { closeCode: 1007 },
    cause: /invalid UTF-8/i,
  },
  {
    name: 'unknown op',
    run: async ({ client }) => frame(await client(), '{"id":3,"op":"format_disk"}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /unknown op "format_disk"/,
  },
  {
    name: 'missing field',
    run: async ({ client }) => frame(await client(), '{"id":4,"op":"load"}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /plugin_id/,
  },
  {
    name: 'wrong field type',
    run: async ({ client }) =>
      frame(await client(), '{"id":5,"op":"send_message","instance_id":"a","message":5}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /\/message/,
  },
  {
    name: 'extra field',
    run: async ({ client }) => frame(await client(), '{"id":6,"op":"snapshot","sudo":true}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /sudo/,
  },
  {
    name: 'huge id',
    run: async ({ client }) => frame(await client(), '{"id":1e300,"op":"snapshot"}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /\/id/,
  },
  {
    name: 'negative id',
    run: async ({ client }) => frame(await client(), '{"id":-1,"op":"snapshot"}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /\/id/,
  },
  {
    name: 'JSON nested 100,000 deep',
    run: async ({ client }) =>
      frame(await client(), `{"id":7,"op":"set_app_config","key":"k","value":${nestedText(100_000)}}`),
    expect: { code: 'PAYLOAD_TOO_LARGE' },
    cause: /maxJsonDepth/,
  },
  {
    name: 'frame over the 1 MiB cap',
    run: async ({ client }) =>
      frame(await client(), JSON.stringify({ id: 8, op: 'snapshot', pad: 'x'.repeat(2 * MiB) })),
    expect: { closeCode: 1009 },
    cause: /Max payload size exceeded/,
  },
  {
    name: 'app-config value over its limit',
    run: async ({ client }) =>
      failing(await client(), { op: 'set_app_config', key: 'big', value: 'v'.repeat(200 * 1024) }),
    expect: { code: 'PAYLOAD_TOO_LARGE' },
    cause: /maxAppConfigValueBytes/,
  },
  {
    name: 'app-config key __proto__',
    run: async ({ client }) =>
      frame(await client(), '{"id":9,"op":"set_app_config","key":"__proto__","value":{"x":1}}'),
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /\/key/,
  },
  {
    name: 'message to an instance that does not exist',
    run: async ({ client }) =>
      failing(await client(), { op: 'send_message', instance_id: 'ghost', message: 'hi' }),
    expect: { code: 'PLUGIN_NOT_FOUND' },
    cause: /ghost/,
  },
  {
    name: 'load of a plugin that does not exist',
    run: async ({ client }) => failing(await client(), { op: 'load', plugin_id: 'nope' }),
    expect: { code: 'PLUGIN_NOT_FOUND' },
    cause: /nope/,
  },
  {
    name: 'reload of a plugin that does not exist',
    run: async ({ client }) => failing(await client(), { op: 'reload', plugin_id: 'nope' }),
    expect: { code: 'PLUGIN_NOT_FOUND' },
    cause: /nope/,
  },
  {
    name: 'UI event for a widget that is not in the frame',
    run: async ({ client }) =>
      failing(await client(), {
        op: 'ui_event',
        instance_id: 'target',
        event: { widget_id: 'rm-rf', kind: 'click' },
      }),
    expect: { code: 'UI_EVENT_INVALID' },
    cause: /rm-rf/,
  },
  {
    name: 'control of a stream that does not exist',
    run: async ({ client }) =>
      failing(await client(), {
        op: 'stream_control',
        instance_id: 'target',
        stream_id: 's404',
        control: 'cancel',
      }),
    expect: { code: 'STREAM_STATE' },
    cause: /s404/,
  },
  // Floods
  {
    name: 'flood: 5,000 pipelined requests',
    run: async ({ client }) => {
      const c = await client();
      const frame = (i: number) => `{"id":${100_000 + i},"op":"disconnect","instance_id":"ghost-${i}"}`;
      for (let i = 0; i < 5000; i++) c.ws.send(frame(i));
      const last = await c.next((f) => f.type === 'result' && f.id === 104_999, 15_000);
      const answered = c.frames.filter((f) => f.type === 'result' && f.id >= 100_000).length;
      return last.type === 'result' && !last.ok && answered === 5000
        ? { code: last.error.code, text: last.error.message }
        : { text: `only ${answered} answered` };
    },
    expect: { code: 'PLUGIN_NOT_FOUND' },
    cause: /ghost-4999/,
    rssBudgetMiB: 64,
  },
  {
    name: 'flood: 20,000 snapshot requests from a client that never reads',
    run: async ({ client }) => {
      const c = await client();
      (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const mark = closeLogs.length;
      for (let i = 0; i < 20_000 && closeLogs.length === mark; i++) {
        c.ws.send(`{"id":${300_000 + i},"op":"snapshot"}`);
        if (i % 500 === 499) await new Promise((r) => setImmediate(r));
      }
      const end = Date.now() + 10_000;
      while (closeLogs.length === mark && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const { code } = await c.closed;
      return { closeCode: code, text: '' };
    },
    expect: { closeCode: 1008 },
    cause: /closing a client that fell \d+ bytes behind/,
    rssBudgetMiB: 96,
  },
  {
    name: 'flood: 5,000 malformed frames',
    run: async ({ client }) => {
      const c = await client();
      for (let i = 0; i < 5000; i++) c.ws.send(`{"id":${200_000 + i},"op":"nope-${i}"}`);
      const last = await c.next((f) => f.type === 'result' && f.id === 204_999, 20_000);
      const refused = c.frames.filter((f) => f.type === 'result' && !f.ok).length;
      return last.type === 'result' && !last.ok && refused === 5000
        ? { code: last.error.code, text: last.error.message }
        : { text: `only ${refused} refused` };
    },
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /unknown op "nope-4999"/,
    rssBudgetMiB: 64,
  },
  {
    name: 'flood: 200 connections dropped without a closing handshake',
    run: async ({ h, client }) => {
      const before = h.bridge.clientCount;
      for (let i = 0; i < 200; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            const c = await openClient(h.url);
            c.ws.terminate();
            await c.closed;
          }),
        );
      const end = Date.now() + 3000;
      while (h.bridge.clientCount > before && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return h.bridge.clientCount === before
        ? frame(await client(), '[')
        : { text: `${h.bridge.clientCount} left` };
    },
    expect: { code: 'BRIDGE_BAD_FRAME' },
    cause: /not valid JSON/,
    rssBudgetMiB: 64,
  },
  {
    name: 'flood: 300 refused handshakes',
    run: async ({ port }) => {
      const answers: { status: number; text: string }[] = [];
      for (let i = 0; i < 300; i += 50)
        answers.push(
          ...(await Promise.all(Array.from({ length: 50 }, () => handshake(port, '/bridge?token=no')))),
        );
      return answers.at(-1)!;
    },
    expect: { status: 401 },
    cause: /token is wrong/,
    rssBudgetMiB: 32,
  },
];

describe('adversarial bridge clients: the server stays up, others keep being served, every error is typed', () => {
  let h: BridgeHarness;
  let witness: TestClient;
  const extra: TestClient[] = [];

  beforeAll(async () => {
    h = await bridgeOverFakePlugins([{ id: 'echo' }, { id: 'target' }], {
      log: (line) => closeLogs.push(line),
    });
    witness = await h.client();
    await request(witness, { op: 'load', plugin_id: 'echo', instance_id: 'witness' });
    await request(witness, { op: 'connect', instance_id: 'witness' });
    await request(witness, { op: 'load', plugin_id: 'target', instance_id: 'target' });
  });
  afterAll(async () => {
    for (const c of extra) c.ws.terminate();
    await witness[Symbol.asyncDispose]();
    await h[Symbol.asyncDispose]();
  });

  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, attack) => {
    gc();
    const rssBefore = process.memoryUsage().rss;
    const logMark = closeLogs.length;
    const result = await attack.run({
      h,
      port: h.bridge.port,
      token: h.bridge.token,
      client: async () => {
        const c = await h.client();
        extra.push(c);
        return c;
      },
    });
    gc();
    const rssGrowthMiB = (process.memoryUsage().rss - rssBefore) / MiB;
    const observed =
      result.closeCode === undefined
        ? result
        : { ...result, text: [result.text, ...closeLogs.slice(logMark)].join(' ') };

    // Typed, and names the cause.
    expect(observed).toMatchObject(attack.expect);
    expect(observed.text).toMatch(attack.cause);
    if (attack.rssBudgetMiB !== undefined) expect(rssGrowthMiB).toBeLessThan(attack.rssBudgetMiB);

    // Alive: a new client is served, and another plugin answers within 200 ms.
    await using fresh = await h.client();
    expect((await request(fresh, { op: 'snapshot' })).ok).toBe(true);
    const t0 = performance.now();
    const reply = await request(
      witness,
      { op: 'send_message', instance_id: 'witness', message: 'still there?' },
      200,
    );
    expect(performance.now() - t0).toBeLessThan(200);
    expect(reply).toMatchObject({ ok: true, value: { reply: 'still there?' } });
  });
});
