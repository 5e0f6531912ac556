import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { APP_DIR } from '../server/paths.js';
import { type Playground, type PlaygroundOptions, startPlayground } from '../server/playground.js';

/** How long a visible outcome may take. */
export const WAIT = 20_000;

/** Where screenshots go; each is also attached to the test's report entry. */
export const SHOTS_DIR = join(APP_DIR, 'test-results');

/** The `annotate` function of a vitest test context. */
export type Annotate = (
  message: string,
  attachment: { readonly path: string; readonly contentType: string },
) => Promise<unknown>;

/** Save a full-viewport screenshot as `test-results/<name>.png` and attach it to the test report. */
export async function shot(page: Page, name: string, annotate: Annotate): Promise<void> {
  await mkdir(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  await annotate(`screenshot: ${name}`, { path, contentType: 'image/png' });
}

/** Wait until the locator is visible (the assertion: the user can see it). */
export async function see(locator: Locator, timeout = WAIT): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Poll `read` until `ok` holds for its value, or fail with the last value after the deadline. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeout = WAIT): Promise<T> {
  const end = Date.now() + timeout;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > end)
      throw new Error(`condition not met within ${timeout} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** A playground on a free port over temp folders (examples, user plugins, state), removed on close. */
export interface TestPlayground {
  readonly playground: Playground;
  readonly dir: string;
  readonly examplesDir: string;
  readonly userDir: string;
  readonly stateDir: string;
  close(): Promise<void>;
}

/** Start a playground whose folders all live in one temp dir. */
export async function startTestPlayground(options: Partial<PlaygroundOptions> = {}): Promise<TestPlayground> {
  const dir = await mkdtemp(join(tmpdir(), 'pi-playground-e2e-'));
  const examplesDir = join(dir, 'examples');
  const userDir = join(dir, 'user');
  const stateDir = join(dir, 'state');
  const playground = await startPlayground({
    port: 0,
    rust: false,
    builtPluginsDir: examplesDir,
    userPluginsDir: userDir,
    stateDir,
    onProgress: () => undefined,
    ...options,
  });
  return {
    playground,
    dir,
    examplesDir,
    userDir,
    stateDir,
    close: async () => {
      await playground.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Copy a built example into `targetDir/<id>` under a new id and name, with extra config.toml text. */
export async function copyPlugin(
  examplesDir: string,
  example: string,
  targetDir: string,
  id: string,
  name: string,
  extraToml = '',
): Promise<void> {
  const target = join(targetDir, id);
  await cp(join(examplesDir, example), target, { recursive: true });
  const config = await readFile(join(target, 'config.toml'), 'utf8');
  await writeFile(
    join(target, 'config.toml'),
    `${config
      .replace(/^id = ".*"$/m, `id = "${id}"`)
      .replace(/^name = ".*"$/m, `name = "${name}"`)}\n${extraToml}`,
  );
}

/** Press Load (or New instance), then wait until the new instance's tab is shown and connected. */
export async function loadPlugin(page: Page, id: string, name: string): Promise<void> {
  const plugins = page.getByRole('complementary', { name: 'Plugins' });
  const button = plugins.getByRole('button', { name: new RegExp(`^(Load|New instance of) ${id}$`) });
  // A second instance of a plugin shows the same heading as the first: wait for its own tab too.
  const tabs = page.getByRole('tablist', { name: 'Running instances' }).getByRole('tab');
  const before = await tabs.count();
  await button.click();
  await until(
    () => tabs.count(),
    (n) => n > before,
  );
  const panel = instancePanel(page);
  await see(panel.getByRole('heading', { name, level: 2, exact: true }));
  await see(panel.getByText(new RegExp(`^${id}-\\w+ · connected$`)));
}

/** The instance panel (the tab panel of the running instances). */
export function instancePanel(page: Page): Locator {
  return page.locator('.pg-instance[role="tabpanel"]');
}

/** Type a chat message into the selected instance and press Enter. */
export async function chat(page: Page, text: string): Promise<void> {
  const box = instancePanel(page).getByRole('textbox', { name: /^Message to / });
  await box.fill(text);
  await box.press('Enter');
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** One axe-core violation, as much as a failure message needs. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Run axe-core on the page. Its source is evaluated through the DevTools protocol (the page's
 * Content-Security-Policy forbids inline scripts, and stays on).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document) => Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: unknown[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
