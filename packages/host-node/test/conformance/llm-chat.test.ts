import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrontendEventOf } from '@plugin-interfaces/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/events.js';
import { conformanceHost, widget } from './harness.js';
import { MATRIX } from './matrix.js';
import { usePlugins } from './suite.js';

type StreamEvent = FrontendEventOf<'plugin-stream'>['payload'];
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A mock chat-completions server on 127.0.0.1 only; records each request's method, path, headers and body. */
async function mockServer(handler: Handler) {
  const requests: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      handler(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, port, requests, url: `http://127.0.0.1:${port}/v1/chat/completions` };
}

const delta = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`;

// A Rust example only: it shows the SDK's cancel token closing a blocked socket.
describe.each(MATRIX.filter((c) => c.lang === 'rust'))('llm-chat ($name)', (c) => {
  const plugins = usePlugins(c, ['llm-chat']);
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });
  const streamEvents = (events: readonly { event: string }[]) =>
    events.flatMap((e) =>
      e.event === 'plugin-stream' ? [(e as FrontendEventOf<'plugin-stream'>).payload] : [],
    );

  async function chat(root: string, url: string) {
    const t = await conformanceHost(c, root);
    const { instance_id } = await t.host.load(plugins.id('llm-chat'), {
      settings: { api_url: url, api_key: 'sk-test', model: 'mock-model' },
    });
    await t.host.connect(instance_id);
    const ended = (n: number) =>
      waitFor(() => {
        const ends = streamEvents(t.recorded.events).filter((e) => e.type === 'stream_end');
        return ends.length >= n ? ends[n - 1] : undefined;
      });
    return { t, id: instance_id, ended };
  }

  it('streams the answer and builds each request from the history', async (ctx) => {
    const mock = await mockServer((_req, body, res) => {
      const question = (JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)?.content;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(delta('You asked: '));
      res.write(delta(String(question)));
      res.end('data: [DONE]\n\n');
    });
    servers.push(mock.server);
    const s = await chat(plugins.root(ctx), mock.url);
    await using _ = s.t;
    await s.t.host.handleMessage(s.id, 'first');
    expect((await s.ended(1)).data).toMatchObject({ success: true });
    await s.t.host.handleMessage(s.id, 'second');
    expect((await s.ended(2)).data).toMatchObject({ success: true });
    expect(s.t.host.instance(s.id).streams.map((x) => x.content)).toEqual([
      'You asked: first',
      'You asked: second',
    ]);
    const second = JSON.parse(mock.requests[1]?.body ?? '{}') as unknown;
    expect(second).toEqual({
      model: 'mock-model',
      stream: true,
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'You asked: first' },
        { role: 'user', content: 'second' },
      ],
    });
    expect(mock.requests[0]?.auth).toBe('Bearer sk-test');
  });

  it('closes the connection when the user cancels the stream', async (ctx) => {
    let closed = false;
    const mock = await mockServer((req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(delta('thinking'));
      // ...and never finishes: only the plugin closing the socket ends this request.
      req.socket.on('close', () => {
        closed = true;
      });
    });
    servers.push(mock.server);
    const s = await chat(plugins.root(ctx), mock.url);
    await using _ = s.t;
    await s.t.host.handleMessage(s.id, 'hello');
    const data = await waitFor(() =>
      streamEvents(s.t.recorded.events).find((e: StreamEvent) => e.type === 'stream_data'),
    );
    await s.t.host.controlStream(s.id, data.data.stream_id, 'cancel');
    await waitFor(() => (closed ? true : undefined), 5000);
    expect(s.t.host.instance(s.id).streams[0]?.state).toBe('cancelled');
  });

  it('ends the stream with the reason on HTTP 401 and 500', async (ctx) => {
    const mock = await mockServer((_req, body, res) => {
      const question = (JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)?.content;
      if (question === 'key') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Invalid API key' } }));
      } else {
        res.writeHead(500);
        res.end('model crashed');
      }
    });
    servers.push(mock.server);
    const s = await chat(plugins.root(ctx), mock.url);
    await using _ = s.t;
    await s.t.host.handleMessage(s.id, 'key');
    expect((await s.ended(1)).data).toMatchObject({
      success: false,
      error: 'HTTP 401 Unauthorized: Invalid API key',
    });
    await s.t.host.handleMessage(s.id, 'crash');
    expect((await s.ended(2)).data).toMatchObject({
      success: false,
      error: 'HTTP 500 Internal Server Error: model crashed',
    });
  });

  it('ends the stream with the connection error when nothing listens', async (ctx) => {
    const mock = await mockServer(() => {});
    const { port } = mock;
    mock.server.close();
    await once(mock.server, 'close');
    const s = await chat(plugins.root(ctx), `http://127.0.0.1:${port}/v1/chat/completions`);
    await using _ = s.t;
    await s.t.host.handleMessage(s.id, 'anyone?');
    const end = await s.ended(1);
    expect(end.data).toMatchObject({ success: false });
    expect(String((end.data as { error: unknown }).error)).toMatch(
      new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port}: `),
    );
  });

  it('"Test connection" reports the models the server lists', async (ctx) => {
    const mock = await mockServer((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }));
    });
    servers.push(mock.server);
    const s = await chat(plugins.root(ctx), mock.url);
    await using _ = s.t;
    const button = widget(s.t.host.instance(s.id).tree, { id: 'test_connection' });
    await s.t.host.dispatchUiEvent(s.id, { widget_id: button.id, kind: 'click' });
    const report = `Connected to 127.0.0.1:${mock.port}: the server lists 3 models.`;
    await waitFor(() =>
      s.t.recorded.events.find((e) => e.event === 'plugin-message' && e.payload.content === report),
    );
    expect(mock.requests[0]).toMatchObject({ method: 'GET', url: '/v1/models', auth: 'Bearer sk-test' });
  });
});
