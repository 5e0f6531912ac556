import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A canned answer of the test server. */
export interface Route {
  readonly status?: number;
  readonly body: string | Uint8Array;
  /** Send the headers (and body, if any) but never finish the response. */
  readonly hang?: boolean;
  /** Extra response headers (a redirect's Location). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Test helper: an HTTP server on 127.0.0.1 (random port) answering from a mutable route table. */
export interface TestServer extends AsyncDisposable {
  readonly url: string;
  readonly routes: Map<string, Route>;
  /** Paths requested, in order. */
  readonly requests: string[];
}

/** Start a {@link TestServer}; dispose it with `await using`. */
export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes.get(path);
    res.statusCode = route === undefined ? 404 : (route.status ?? 200);
    for (const [name, value] of Object.entries(route?.headers ?? {})) res.setHeader(name, value);
    if (route?.hang === true) {
      res.flushHeaders();
      res.write(route.body);
      return;
    }
    res.end(route?.body ?? 'not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    requests,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}
