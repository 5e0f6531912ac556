import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP request handler that may be async. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * Wrap a request handler so that nothing it throws or rejects with can end the process: the
 * request is answered 500 (or its connection dropped when the headers already went out) and one
 * line is logged.
 */
export function guardRequests(
  handler: RequestHandler,
  log: (line: string) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (e: unknown): void => {
      const why = e instanceof Error ? e.message : String(e);
      log(`http: ${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)} failed: ${why}`);
      if (!res.headersSent)
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error.\n');
      else res.destroy();
    };
    try {
      const done = handler(req, res);
      if (done instanceof Promise) done.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}
