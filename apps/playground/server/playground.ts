import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBridgeServer } from '@plugin-interfaces/host-node/bridge';
import { PlaygroundAppConfig } from './app-config.js';
import { isViteUpgrade, pageOrigins } from './bridge-access.js';
import { buildExamplePlugins } from './build-plugins.js';
import { devFrontend, type Frontend, productionFrontend } from './frontend.js';
import { openHost } from './open-host.js';
import { BUILT_PLUGINS_DIR, REPO_ROOT, USER_PLUGINS_DIR } from './paths.js';
import { countRestarts, readProcessInfo } from './process-info.js';
import { guardRequests } from './request-guard.js';
import { autosaveSession, readSession, restoreSession } from './session.js';
import { sessionAwareHost } from './session-host.js';
import { defaultStateDir, workspaceToken } from './state-dir.js';
import { watchPlugins } from './watch.js';
import { noticeEvent } from './watch-notice.js';

/** Options of {@link startPlayground}. */
export interface PlaygroundOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 5173. */
  readonly port?: number;
  /** Serve the page through Vite with hot reload instead of the production build. */
  readonly dev?: boolean;
  /** Run each plugin library in a child process of its own (default true). */
  readonly isolated?: boolean;
  /** Build the Rust examples too (needs cargo); default true. */
  readonly rust?: boolean;
  /** Where the examples are built; default apps/playground/.plugins. */
  readonly builtPluginsDir?: string;
  /** The user's plugin folder; default <repo>/plugins (created if missing). */
  readonly userPluginsDir?: string;
  /** More plugin folders to scan (`--plugins DIR`); they are not created. */
  readonly extraPluginDirs?: readonly string[];
  /**
   * Where the token and the session are kept; default a per-workspace folder under
   * `$XDG_STATE_HOME/pi-playground` (see `defaultStateDir`), mode 0700.
   */
  readonly stateDir?: string;
  /** Do not restore the last session (instances with their settings, app config). */
  readonly fresh?: boolean;
  /** Skip building the example plugins (they are already in `builtPluginsDir`). */
  readonly skipBuild?: boolean;
  /**
   * Watch the plugin folders and reload a plugin whose library or `config.toml` changed (the
   * page gets a notice). Default false here; the command line turns it on (`--no-watch` off).
   */
  readonly watch?: boolean;
  /** Receives progress lines; default console.log. */
  readonly onProgress?: (line: string) => void;
}

/** A running playground. */
export interface Playground extends AsyncDisposable {
  /** The page URL including the bridge token. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Build the example plugins from source, start a plugin host over them and the user's plugin
 * folder, and serve the page and the WebSocket bridge from one HTTP server on 127.0.0.1.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const progress = options.onProgress ?? ((line: string) => console.log(line));
  const builtDir = options.builtPluginsDir ?? BUILT_PLUGINS_DIR;
  const userDir = options.userPluginsDir ?? USER_PLUGINS_DIR;
  const stateDir = options.stateDir ?? defaultStateDir(REPO_ROOT);
  if (options.skipBuild !== true)
    await buildExamplePlugins({ outDir: builtDir, rust: options.rust ?? true, onProgress: progress });
  await mkdir(userDir, { recursive: true });
  const token = await workspaceToken(stateDir);
  const saved = options.fresh === true ? null : await readSession(stateDir);

  let frontend: Frontend | undefined;
  const http = createServer(
    guardRequests((req, res) => {
      if (frontend) return frontend.handle(req, res);
      res.writeHead(503).end('starting\n');
    }, progress),
  );
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 5173, '127.0.0.1', () => resolve());
  });
  // From now on a server error (a failed accept: EMFILE) is logged; unhandled it would end the process.
  http.on('error', (e) => progress(`http: server error: ${e.message}`));
  try {
    frontend = options.dev ? await devFrontend(http) : await productionFrontend(progress);
  } catch (e) {
    http.close();
    throw e;
  }
  const extra = options.extraPluginDirs ?? [];
  progress(
    `plugin folders: ${builtDir} (examples), ${userDir} (yours)${extra.map((d) => `, ${d}`).join('')}`,
  );
  let touch = (): void => undefined;
  const appConfig = new PlaygroundAppConfig(saved?.app_config ?? {}, () => touch());
  const host = await openHost({
    pluginDirs: [builtDir, userDir, ...extra],
    isolated: options.isolated ?? true,
    appConfig,
    onProgress: progress,
  });
  if (saved !== null && saved.instances.length > 0) {
    const problems = await restoreSession(host, saved);
    progress(
      `session restored: ${saved.instances.length - problems.length} of ${saved.instances.length} instances (--fresh to start empty)`,
    );
    for (const p of problems) progress(`  not restored: ${p}`);
  }
  const autosave = autosaveSession(host, stateDir, progress);
  touch = autosave.touch;
  const restarts = countRestarts(host);
  const bridgeHost = sessionAwareHost(host, autosave.touch, {
    processInfo: () => readProcessInfo(host, restarts.counts),
  });
  const pluginDirs = [builtDir, userDir, ...extra];
  const watcher =
    options.watch === true
      ? watchPlugins(host, pluginDirs, (notice) => {
          progress(`watch: ${notice.message}`);
          bridgeHost.emit(noticeEvent(notice));
        })
      : null;
  if (watcher !== null)
    progress('watching the plugin folders (a rebuilt library or edited config.toml reloads it)');
  const bridge = await createBridgeServer({
    host: bridgeHost.host,
    server: http,
    token,
    allowedOrigins: pageOrigins((http.address() as AddressInfo).port),
    ...(options.dev === true ? { passUpgrade: isViteUpgrade } : {}),
    log: (line) => progress(line),
  });
  const url = `http://127.0.0.1:${bridge.port}/?token=${bridge.token}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      watcher?.close();
      restarts.stop();
      await bridge.close();
      await autosave.flush();
      autosave.stop();
      await host.close();
      await frontend?.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    })();
    return closing;
  };
  return { url, port: bridge.port, token: bridge.token, close, [Symbol.asyncDispose]: close };
}
