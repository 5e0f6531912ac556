import { open, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Headers every playground page gets. The token is in the page URL, so no referrer leaves the
 * page; the page may only talk to its own origin; TypeBox's compiled validators need eval.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The decoded path of a request target; null when the target does not parse or holds a malformed
 * percent-escape (`/%`, `/%E0%A4%A`).
 */
export function decodedPath(target: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(target ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}

const TEXT = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };

/**
 * Serve the files of a built single-page app from `root`; unknown paths get index.html, paths
 * outside `root` too. A target that does not decode is a 400; a file that cannot be read a 500.
 */
export function staticHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...TEXT, Allow: 'GET, HEAD' }).end('Only GET and HEAD are served.\n');
      return;
    }
    const pathname = decodedPath(req.url);
    if (pathname === null) {
      res.writeHead(400, TEXT).end('Bad request: the path is not a valid percent-encoded URL path.\n');
      return;
    }
    const file = normalize(join(root, pathname));
    const inside = file === root || file.startsWith(root + sep);
    const found = inside ? await stat(file).catch(() => null) : null;
    const target = found?.isFile() ? file : join(root, 'index.html');
    const handle = await open(target, 'r').catch(() => null);
    if (handle === null) {
      res.writeHead(500, TEXT).end('The page is not built or cannot be read.\n');
      return;
    }
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    const cache = target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache });
    if (req.method === 'HEAD') {
      await handle.close();
      res.end();
      return;
    }
    const stream = handle.createReadStream();
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };
}
