import type { BridgeServerFrame } from '@plugin-interfaces/spec';
import {
  type BridgeServer,
  type BridgeServerOptions,
  createBridgeServer,
} from '../../../src/bridge/server.js';
import type { FakeBehavior } from '../fake-driver.js';
import { type FakeHost, fakeHost } from '../fake-host.js';
import type { FakePluginSpec } from '../plugin-folders.js';
import { openClient, type TestClient } from './client.js';

/** A result frame, narrowed. */
export type ResultFrame = Extract<BridgeServerFrame, { type: 'result' }>;

/** A real PluginHost over scripted plugins (the fake driver), served by a bridge. */
export interface BridgeHarness extends AsyncDisposable {
  readonly fake: FakeHost;
  readonly bridge: BridgeServer;
  /** The bridge URL with the token. */
  readonly url: string;
  /** Open a client and wait for its hello. */
  client(headers?: Record<string, string>): Promise<TestClient>;
}

/** Start a host over the given fake plugins and a bridge in front of it. */
export async function bridgeOverFakePlugins(
  plugins: readonly (FakePluginSpec & { behavior?: FakeBehavior })[],
  options: Partial<BridgeServerOptions> = {},
): Promise<BridgeHarness> {
  const fake = await fakeHost(plugins);
  const bridge = await createBridgeServer({ host: fake.host, ...options });
  const url = `${bridge.url}?token=${bridge.token}`;
  return {
    fake,
    bridge,
    url,
    async client(headers = {}) {
      const c = await openClient(url, headers);
      await c.next((f) => f.type === 'hello');
      return c;
    },
    async [Symbol.asyncDispose]() {
      await bridge.close();
      await fake[Symbol.asyncDispose]();
    },
  };
}

let nextId = 1_000;

/** Send one request (an `id` is added) and resolve with its result frame. */
export async function request(
  c: TestClient,
  frame: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<ResultFrame> {
  const id = nextId++;
  c.send({ id, ...frame });
  return (await c.next((f) => f.type === 'result' && f.id === id, timeoutMs)) as ResultFrame;
}

/** Send one request given as JSON text after its id (`"op":…`) and resolve with its result frame. */
export async function requestText(c: TestClient, rest: string, timeoutMs = 5000): Promise<ResultFrame> {
  const id = nextId++;
  c.send(`{"id":${id},${rest}}`);
  return (await c.next((f) => f.type === 'result' && f.id === id, timeoutMs)) as ResultFrame;
}

/** JSON text of `depth` nested arrays around `1`, built without recursion. */
export function nestedText(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** The error of a failed result; throws when the request succeeded. */
export function errorOf(r: ResultFrame): { code: string; message: string; detail?: unknown } {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}
