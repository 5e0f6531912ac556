import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../../apps/playground/e2e/browser.js';
import { instancePanel, see } from '../../../apps/playground/e2e/harness.js';
import { type Frontend, productionFrontend } from '../../../apps/playground/server/frontend.js';
import { type BridgeServer, createBridgeServer } from '../../host-node/src/bridge/index.js';
import { buildExamples } from '../../sdk-c/scripts/build-examples.mjs';
import { RustBridgeHost } from './rust-bridge-host.js';

// The playground page (ui-react) renders the ui-demo plugin running in host-rust: the page talks
// to host-node's WebSocket bridge server, whose host is host-rust-bridge (stdin/stdout JSON lines).
type Page = Awaited<ReturnType<TestBrowser['context']['newPage']>>;

const crate = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('ui-demo rendered by ui-react through host-rust', () => {
  let rust: RustBridgeHost;
  let http: Server;
  let frontend: Frontend;
  let bridge: BridgeServer;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    const built = spawnSync('cargo', ['build', '--offline', '--quiet', '--bin', 'host-rust-bridge'], {
      cwd: crate,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`cargo build failed:\n${built.stderr}`);
    const root = await mkdtemp(join(tmpdir(), 'pi-host-rust-e2e-'));
    await buildExamples({ outDir: root, examples: ['ui-demo'] });
    rust = new RustBridgeHost(join(crate, 'target', 'debug', 'host-rust-bridge'), [root]);
    await rust.ready;
    frontend = await productionFrontend(() => undefined);
    http = createServer((req, res) => {
      Promise.resolve(frontend.handle(req, res)).catch(() => res.writeHead(500).end());
    });
    http.listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    bridge = await createBridgeServer({ host: rust, server: http });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await bridge?.close();
    await new Promise((r) => http?.close(r));
    await frontend?.close();
    await rust?.[Symbol.asyncDispose]();
  });

  it('loads ui-demo from host-rust, renders its widgets and sends a click and a text edit back', async () => {
    await page.goto(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    await see(plugins.getByRole('listitem', { name: 'UI demo' }));
    await plugins.getByRole('button', { name: /^(Load|New instance of) ui-demo$/ }).click();
    const panel = instancePanel(page);
    await see(panel.getByRole('heading', { name: 'UI demo', level: 2, exact: true }));
    const ui = panel.getByRole('region', { name: /controls$/ });
    await see(ui.getByText('Count: 0'));
    await ui.getByRole('button', { name: 'Increment' }).click();
    await see(ui.getByText('Count: 1'));
    await ui.getByRole('textbox', { name: 'Your name' }).fill('Ada');
    await see(ui.getByText('Hello, Ada!'));
    // The page's state came from host-rust: its instance shows the same frame.
    const [instance] = (await rust.snapshot()).instances;
    expect(instance?.plugin_id).toBe('ui-demo');
    expect(JSON.stringify(instance?.tree)).toContain('Hello, Ada!');
  });
});
