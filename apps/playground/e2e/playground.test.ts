import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR } from '../server/paths.js';
import { type Playground, startPlayground } from '../server/playground.js';
import { launchBrowser, type TestBrowser } from './browser.js';

const WAIT = 20_000;

/** Wait until the locator is visible (the assertion of this test: the user can see it). */
async function see(locator: Locator, timeout = WAIT): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Press Load, then wait until the new instance's tab is shown and connected. */
async function loadPlugin(page: Page, id: string, name: string): Promise<void> {
  await page.getByRole('button', { name: `Load ${id}`, exact: true }).click();
  const panel = page.getByRole('tabpanel');
  await see(panel.getByRole('heading', { name, level: 2, exact: true }));
  await see(panel.getByText(new RegExp(`^${id}-\\w+ · connected$`)));
}

async function chat(page: Page, text: string): Promise<void> {
  const box = page.getByRole('tabpanel').getByRole('textbox', { name: /^Message to / });
  await box.fill(text);
  await box.press('Enter');
}

describe('playground in a real browser', () => {
  let dir: string;
  let playground: Playground;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-playground-e2e-'));
    const lines: string[] = [];
    playground = await startPlayground({
      port: 0,
      rust: false,
      builtPluginsDir: join(dir, 'examples'),
      userPluginsDir: join(dir, 'user'),
      onProgress: (l) => lines.push(l),
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(playground.url);
    await see(page.getByText('Connected', { exact: true }));
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await playground?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the example plugins', async () => {
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    for (const name of ['UI demo', 'Echo', 'Streamer']) await see(plugins.getByRole('listitem', { name }));
  });

  it('drives the ui-demo plugin UI: a button click and a text edit reach the plugin', async () => {
    await loadPlugin(page, 'ui-demo', 'UI demo');
    // The playground runs plugins isolated by default, and the instance tab says so.
    await see(
      page.getByRole('tabpanel').getByTitle('Where this plugin runs').getByText('isolated', { exact: true }),
    );
    const ui = page.getByRole('tabpanel').getByRole('region', { name: /controls$/ });
    await see(ui.getByText('Count: 0'));
    await ui.getByRole('button', { name: 'Increment' }).click();
    await see(ui.getByText('Count: 1'));
    await ui.getByRole('textbox', { name: 'Your name' }).fill('Ada');
    await see(ui.getByText('Hello, Ada!'));
  });

  it('chats with echo: each message, then its reply, and the plugin UI counts them', async () => {
    await loadPlugin(page, 'echo', 'Echo');
    const panel = page.getByRole('tabpanel');
    const log = panel.getByRole('log');
    await chat(page, 'hello playground');
    await see(log.getByText('Echo: hello playground'));
    await chat(page, 'second message');
    await see(log.getByText('Echo: second message'));
    const order = await log.evaluate(
      (el, wanted) => {
        const text = el.textContent ?? '';
        return wanted.map((w) => text.indexOf(w));
      },
      ['hello playground', 'Echo: hello playground', 'second message', 'Echo: second message'],
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? -1)))).toBe(true);
    await see(panel.getByRole('region', { name: /controls$/ }).getByText('Messages: 2'));
  });

  it('shows a stream from streamer arrive and end, and cancels another one', async () => {
    await loadPlugin(page, 'streamer', 'Streamer');
    await chat(page, 'stream 20 20');
    const first = page.getByRole('article', { name: 'Counting to 20' });
    await see(first.getByText('chunk 20'));
    await see(first.getByText('Completed'));
    expect(await first.textContent()).toContain('chunk 1');

    await chat(page, 'stream 200 50');
    const second = page.getByRole('article', { name: 'Counting to 200' });
    await see(second.getByText('chunk 2', { exact: false }));
    await second.getByRole('button', { name: 'Cancel' }).click();
    await see(second.getByText('Cancelled'));
    expect(await second.textContent()).not.toContain('chunk 200');
    await page.screenshot({ path: join(APP_DIR, 'test-results', 'playground.png') });
  });
});
