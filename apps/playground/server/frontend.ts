import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { APP_DIR, DIST_DIR, REPO_ROOT } from './paths.js';
import { SECURITY_HEADERS, staticHandler } from './static-files.js';

/** An HTTP handler for the page, plus what to close on shutdown. */
export interface Frontend {
  /** Answer one request; a rejection is answered 500 by the caller (see `guardRequests`). */
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  close(): Promise<void>;
}

/** Folders and files whose changes make the production build stale. */
const SOURCES = [
  join(APP_DIR, 'src'),
  join(APP_DIR, 'index.html'),
  join(APP_DIR, 'vite.config.ts'),
  join(REPO_ROOT, 'packages', 'ui-react', 'src'),
  join(REPO_ROOT, 'packages', 'spec', 'src'),
];

/** Serve the production build in dist/, building it first when it is missing or stale. */
export async function productionFrontend(progress: (line: string) => void): Promise<Frontend> {
  const built = await newestMtime(join(DIST_DIR, 'index.html'));
  let newest = 0;
  for (const s of SOURCES) newest = Math.max(newest, await newestMtime(s));
  if (built === 0 || built < newest) {
    progress(
      built === 0 ? 'building the page (vite build)…' : 'the page sources changed: rebuilding (vite build)…',
    );
    const { build } = await import('vite');
    // React's production build and JSX transform, even when the server runs under a test runner
    // (NODE_ENV=test would otherwise bundle React's development build: 725 KB instead of 518 KB).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root: APP_DIR,
        configFile: join(APP_DIR, 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    progress('  page built');
  }
  const serve = staticHandler(DIST_DIR);
  return {
    handle: (req, res) => serve(req, res),
    close: async () => undefined,
  };
}

/** Run Vite in middleware mode on the given server (hot reload of the page). */
export async function devFrontend(server: Server): Promise<Frontend> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    root: APP_DIR,
    configFile: join(APP_DIR, 'vite.config.ts'),
    appType: 'spa',
    server: { middlewareMode: true, hmr: { server } },
  });
  return {
    handle: (req, res) => {
      res.setHeader('Referrer-Policy', SECURITY_HEADERS['Referrer-Policy']!);
      vite.middlewares(req, res);
    },
    close: () => vite.close(),
  };
}

/** The newest modification time of a file or of anything below a folder; 0 when missing. */
async function newestMtime(path: string): Promise<number> {
  const s = await stat(path).catch(() => null);
  if (s === null) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}
