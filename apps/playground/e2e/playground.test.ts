import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildRecorderPlugin, compileRecorder } from '../server/test-fixture-plugin.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import {
  axeViolations,
  chat,
  copyPlugin,
  instancePanel,
  loadPlugin,
  SHOTS_DIR,
  see,
  shot,
  startTestPlayground,
  type TestPlayground,
  until,
} from './harness.js';

/** Milliseconds from the URL being printed to a usable first screen (plugins listed, connected). */
let firstScreenMs = Number.NaN;

describe('playground in a real browser', () => {
  let pg: TestPlayground;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    pg = await startTestPlayground({ watch: true });
    page = await browser.context.newPage();
    const printed = performance.now();
    await page.goto(pg.playground.url);
    await see(page.getByText('Connected', { exact: true }));
    await see(
      page.getByRole('complementary', { name: 'Plugins' }).getByRole('button', { name: 'Load echo' }),
    );
    firstScreenMs = performance.now() - printed;
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page !== undefined)
      await page.screenshot({
        path: join(SHOTS_DIR, `FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}.png`),
      });
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await pg?.close();
  });

  it('shows a usable first screen within 2 s of the URL being printed', async ({ annotate }) => {
    expect(firstScreenMs).toBeLessThan(2000);
    await annotate(`first screen usable after ${Math.round(firstScreenMs)} ms`);
    await shot(page, 'first-screen', annotate);
  });

  it('lists the example plugins', async () => {
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    for (const name of ['UI demo', 'Echo', 'Streamer']) await see(plugins.getByRole('listitem', { name }));
  });

  it('drives the ui-demo plugin UI: a button click and a text edit reach the plugin', async () => {
    await loadPlugin(page, 'ui-demo', 'UI demo');
    await see(
      instancePanel(page).getByTitle('Where this plugin runs').getByText('isolated', { exact: true }),
    );
    const ui = instancePanel(page).getByRole('region', { name: /controls$/ });
    await see(ui.getByText('Count: 0'));
    await ui.getByRole('button', { name: 'Increment' }).click();
    await see(ui.getByText('Count: 1'));
    await ui.getByRole('textbox', { name: 'Your name' }).fill('Ada');
    await see(ui.getByText('Hello, Ada!'));
  });

  it('#8 gives plugin text edits and combo boxes visible labels and keeps plugin text in its column', async ({
    annotate,
  }) => {
    const ui = instancePanel(page).getByRole('region', { name: /controls$/ });
    const label = ui.locator('label.pi-labelled-text', { hasText: 'Your name' });
    await see(label);
    expect(await ui.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Ada');
    expect(await ui.locator('label.pi-labelled-text').count()).toBeGreaterThanOrEqual(2);
    const spill = await ui.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(spill).toBeLessThanOrEqual(0);
    await shot(page, 'plugin-ui-labels', annotate);
  });

  it('#7 marks message types with an icon and a text label', async ({ annotate }) => {
    const ui = instancePanel(page).getByRole('region', { name: /controls$/ });
    await ui.getByRole('button', { name: 'Send greeting' }).click();
    const message = instancePanel(page).getByRole('article', { name: 'UI demo (success)' });
    await see(message);
    expect(await message.locator('.pi-message-type').textContent()).toBe('✓ Success');
    await shot(page, 'message-types', annotate);
  });

  it('chats with echo: each message, then its reply, and the plugin UI counts them', async () => {
    await loadPlugin(page, 'echo', 'Echo');
    const log = instancePanel(page).getByRole('log');
    await chat(page, 'hello playground');
    await see(log.getByText('Echo: hello playground'));
    await chat(page, 'second message');
    await see(log.getByText('Echo: second message'));
    const order = await log.evaluate(
      (el, wanted) => wanted.map((w) => (el.textContent ?? '').indexOf(w)),
      ['hello playground', 'Echo: hello playground', 'second message', 'Echo: second message'],
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? -1)))).toBe(true);
    await see(
      instancePanel(page)
        .getByRole('region', { name: /controls$/ })
        .getByText('Messages: 2'),
    );
  });

  it('#3 shows a failed send once, in place, and the send box is disabled with the reason while disconnected', async ({
    annotate,
  }) => {
    const panel = instancePanel(page);
    const log = panel.getByRole('log');
    await chat(page, 'fail');
    await see(log.locator('article[data-role="system"] .pi-error'));
    expect(await log.getByText('fail', { exact: true }).count()).toBe(1);
    expect(await log.getByText(/Not delivered|Not sent/).count()).toBe(0);
    const roles = await log
      .locator('article')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.role));
    expect(roles.slice(-2)).toEqual(['user', 'system']);
    await panel.getByRole('button', { name: 'Disconnect' }).click();
    await see(panel.getByText('This instance is disconnected; press Connect to chat.'));
    expect(await panel.getByRole('textbox', { name: /^Message to / }).isDisabled()).toBe(true);
    await shot(page, 'failed-send-and-disconnected', annotate);
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    await see(panel.getByText(/ · connected$/));
  });

  it('#4 follows a stream to its newest chunk, collapses it when long, and sending scrolls to the new message', async ({
    annotate,
  }) => {
    await loadPlugin(page, 'streamer', 'Streamer');
    const panel = instancePanel(page);
    await chat(page, 'stream 400 10');
    const article = panel.getByRole('article', { name: 'Counting to 400' });
    const live = article.locator('.pi-stream-text');
    await see(live);
    // While it runs, the live box overflows and shows its newest chunk (scrolled to the bottom).
    await until(
      () =>
        live.evaluate((el) => ({
          gap: el.scrollHeight - el.scrollTop - el.clientHeight,
          overflowing: el.scrollHeight > el.clientHeight + 100,
        })),
      (v) => v.overflowing && v.gap <= 30,
    );
    await shot(page, 'stream-follows-tail', annotate);
    await see(article.getByText('Completed'));
    const expander = article.getByRole('button', { name: /^Show all \(\d+ lines\)$/ });
    await see(expander);
    expect(await article.evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(500);
    const log = panel.getByRole('log');
    const logGap = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await until(logGap, (g) => g <= 30);
    await expander.click();
    await see(article.getByRole('button', { name: 'Show less' }));
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await chat(page, 'stream 3 1');
    await see(panel.getByRole('article', { name: 'Counting to 3' }).getByText('Completed'));
    await until(logGap, (g) => g <= 30);
    await shot(page, 'stream-collapsed', annotate);
  });

  it('#13 shows plugin log lines with levels, filtered by instance', async ({ annotate }) => {
    const panel = instancePanel(page);
    await chat(page, 'stream 1000 50');
    const article = panel.getByRole('article', { name: 'Counting to 1000' });
    await see(article.getByText('chunk 2', { exact: false }));
    await article.getByRole('button', { name: 'Cancel' }).click();
    await see(article.getByText('Cancelled'));
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByRole('tab', { name: 'Log' }).click();
    const lines = tools.getByRole('list', { name: 'Log lines, newest first' });
    await see(lines.getByText('control cancel'));
    await see(lines.locator('li[data-level="info"]').first());
    const streamerId = await panel.locator('.pg-meta').first().textContent();
    const ui = await page.getByRole('tab', { name: /UI demo/ }).getAttribute('data-instance');
    await tools.getByLabel('Instance').selectOption(ui ?? '');
    expect(await lines.getByText('control cancel').count()).toBe(0);
    await tools.getByLabel('Instance').selectOption('');
    await tools.getByLabel('Level (and more severe)').selectOption('error');
    expect(await lines.getByText('control cancel').count()).toBe(0);
    await tools.getByLabel('Level (and more severe)').selectOption('debug');
    expect(streamerId).toContain('streamer-');
    // Each isolated plugin's process: pid, memory, restarts.
    const processes = tools.getByRole('table');
    const row = processes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'streamer' }) });
    await see(row);
    const cells = await row.getByRole('cell').allTextContents();
    expect(Number(cells[0])).toBeGreaterThan(1);
    expect(cells[1]).toMatch(/^\d+\.\d MiB$/);
    expect(cells[2]).toBe('0');
    await shot(page, 'plugin-log', annotate);
  });

  it('#1 rescan and app config Set update the open page without a reload', async ({ annotate }) => {
    await copyPlugin(pg.examplesDir, 'echo', pg.userDir, 'echo-copy', 'Echo copy');
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    await plugins.getByRole('button', { name: 'Rescan' }).click();
    await see(plugins.getByRole('listitem', { name: 'Echo copy' }));
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByRole('tab', { name: 'App config' }).click();
    await tools.getByLabel('Key').fill('theme');
    await tools.getByLabel('Value', { exact: true }).fill('"dark"');
    await tools.getByRole('button', { name: 'Set' }).click();
    await see(tools.locator('dt', { hasText: 'theme' }));
    await see(tools.getByText('"dark"'));
    await shot(page, 'rescan-and-app-config', annotate);
  });

  it('#11 app config: invalid JSON is refused with the reason, text mode stores text, keys can be deleted, secrets are hidden', async ({
    annotate,
  }) => {
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByLabel('Key').fill('greeting');
    await tools.getByLabel('Value', { exact: true }).fill('hello there');
    await tools.getByRole('button', { name: 'Set' }).click();
    await see(tools.getByText(/^Not valid JSON/));
    expect(await tools.locator('dt', { hasText: 'greeting' }).count()).toBe(0);
    await tools.getByLabel('Text').check();
    await tools.getByRole('button', { name: 'Set' }).click();
    await see(tools.getByText('"hello there"'));
    await tools.getByRole('button', { name: 'Delete greeting' }).click();
    await until(
      () => tools.locator('dt', { hasText: 'greeting' }).count(),
      (n) => n === 0,
    );
    await tools.getByLabel('Key').fill('api_key');
    await tools.getByLabel('Value', { exact: true }).fill('sk-123');
    await tools.getByRole('button', { name: 'Set' }).click();
    await see(tools.locator('dt', { hasText: 'api_key' }));
    await shot(page, 'app-config-editing', annotate);
  });

  it('#10 inspector: pretty collapsible JSON, requests paired with results and timings, secrets redacted', async ({
    annotate,
  }) => {
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByRole('tab', { name: 'Inspector' }).click();
    const frames = tools.getByRole('list', { name: 'Frames, newest first' });
    await tools.getByLabel('Filter frames').fill('set_app_config');
    const request = frames.locator('li[data-direction="out"]').first();
    await see(request.getByText(/ok in \d+ ms/));
    await request.locator('summary').first().click();
    await see(request.locator('.pg-json-key', { hasText: '"key"' }));
    const html = await page.content();
    expect(html).not.toContain('sk-123');
    await see(request.getByText(/redacted/).first());
    await tools.getByLabel('Filter frames').fill('');
    await shot(page, 'inspector-pretty-paired-redacted', annotate);
  });

  it('#10 every kept frame is reachable (older pages)', async () => {
    await page.getByRole('tab', { name: /^Echo/ }).click();
    const tools = page.getByRole('complementary', { name: 'Tools' });
    const frames = tools.getByRole('list', { name: 'Frames, newest first' });
    for (let i = 0; i < 10; i++) await chat(page, `ping ${i}`);
    await see(instancePanel(page).getByRole('log').getByText('Echo: ping 9', { exact: true }));
    const status = tools.getByText(/^Showing \d+ of \d+ matching/);
    const matching = Number(/of (\d+) matching/.exec((await status.textContent()) ?? '')?.[1]);
    expect(matching).toBeGreaterThan(300);
    const older = tools.getByRole('button', { name: /^Show \d+ older/ });
    for (let i = 0; i < 6 && (await older.count()) > 0; i++) await older.click();
    expect(await older.count()).toBe(0);
    expect(await frames.locator('> li').count()).toBeGreaterThanOrEqual(matching);
  });

  it('#15 and #14: per-instance inspector filter, export as JSON, resend and edit-and-send a frame', async ({
    annotate,
  }) => {
    await page.getByRole('tab', { name: /^Echo/ }).click();
    const echoId = await page.getByRole('tab', { name: /^Echo/ }).getAttribute('data-instance');
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByLabel('Instance').selectOption(echoId ?? '');
    const frames = tools.getByRole('list', { name: 'Frames, newest first' });
    const ids = await frames.locator('> li').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((t) => t.includes('streamer-'))).toBe(false);
    const download = page.waitForEvent('download');
    await tools.getByRole('button', { name: 'Export JSON' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await readFile(file, 'utf8')) as Array<{ kind: string }>;
    expect(exported.length).toBeGreaterThan(10);
    expect(JSON.stringify(exported)).not.toContain('sk-123');
    await tools.getByLabel('Filter frames').fill('ping 9');
    const seq = await frames.locator('li[data-direction="out"]').first().getAttribute('data-seq');
    const sent = frames.locator(`li[data-seq="${seq}"]`);
    await sent.getByRole('button', { name: 'Resend' }).click();
    await see(sent.getByText('Sent: ok'));
    const log = instancePanel(page).getByRole('log');
    await until(
      () => log.getByText('Echo: ping 9', { exact: true }).count(),
      (n) => n === 2,
    );
    await sent.getByRole('button', { name: 'Edit and send' }).click();
    const editor = sent.getByLabel(/^Frame to send/);
    await editor.fill((await editor.inputValue()).replace('ping 9', 'edited frame'));
    await sent.getByRole('button', { name: 'Send', exact: true }).click();
    await see(log.getByText('Echo: edited frame'));
    await shot(page, 'inspector-instance-filter-resend', annotate);
    await tools.getByLabel('Filter frames').fill('');
    await tools.getByLabel('Instance').selectOption('');
  });

  it('#15 clears the chat of an instance in the host: it stays empty after a page reload', async ({
    annotate,
  }) => {
    const panel = instancePanel(page);
    const articles = () => panel.getByRole('log').locator('article').count();
    expect(await articles()).toBeGreaterThan(0);
    await panel.getByRole('button', { name: 'Clear chat' }).click();
    await until(articles, (n) => n === 0);
    await page.reload();
    await see(page.getByText('Connected', { exact: true }));
    await see(instancePanel(page).getByText(/^echo-\w+ · connected$/));
    await see(instancePanel(page).getByRole('button', { name: 'Clear chat', disabled: true }));
    expect(await articles()).toBe(0);
    await shot(page, 'chat-cleared-after-reload', annotate);
    await chat(page, 'after clear');
    await see(panel.getByRole('log').getByText('Echo: after clear'));
    expect(await articles()).toBe(2);
    await shot(page, 'chat-cleared', annotate);
  });

  it('#9 reload keeps the chat and the tab position, and says so', async ({ annotate }) => {
    const tabs = () =>
      page
        .getByRole('tablist', { name: 'Running instances' })
        .getByRole('tab')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-instance')));
    const before = await tabs();
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    await plugins.getByRole('button', { name: 'Reload echo', exact: true }).click();
    await see(plugins.getByText(/Reloaded .*1 instance kept with chat and settings/));
    await until(tabs, (t) => JSON.stringify(t) === JSON.stringify(before));
    await page.getByRole('tab', { name: /^Echo/ }).click();
    await see(instancePanel(page).getByRole('log').getByText('Echo: after clear'));
    await see(instancePanel(page).getByText(/ · connected$/));
    await shot(page, 'reload-keeps-chat', annotate);
  });

  it('#2 a plugin with a required setting without default is configured before load; the pattern error shows the format', async ({
    annotate,
  }) => {
    await copyPlugin(
      pg.examplesDir,
      'echo',
      pg.userDir,
      'needs-endpoint',
      'Needs endpoint',
      '[settings.endpoint]\ntype = "string"\nlabel = "Endpoint"\nrequired = true\npattern = "https://.*"\n' +
        '[settings.access_code]\ntype = "string"\nlabel = "Access key"\nsecret = true\n',
    );
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    await plugins.getByRole('button', { name: 'Rescan' }).click();
    const item = plugins.getByRole('listitem', { name: 'Needs endpoint' });
    await see(item);
    await item.getByRole('button', { name: 'Load needs-endpoint', exact: true }).click();
    const field = item.getByRole('textbox', { name: /Endpoint/ });
    await see(field);
    await see(item.getByText('Format: https://.* (the whole value)'));
    await field.fill('ftp://example.com');
    await item.getByRole('button', { name: 'Load with these settings' }).click();
    await see(
      item.getByText('Endpoint does not match the required format: the whole value must match https://.*'),
    );
    await shot(page, 'settings-before-load-error', annotate);
    await field.fill('https://example.com');
    await item.getByLabel('Access key').fill('hunter2-secret');
    await item.getByRole('button', { name: 'Load with these settings' }).click();
    const panel = instancePanel(page);
    await see(panel.getByRole('heading', { name: 'Needs endpoint', level: 2 }));
    await see(panel.getByText(/^needs-endpoint-\w+ · connected$/));
    // The settings form fills in from the instance's snapshot when it arrives: wait for it.
    await expect
      .poll(() => panel.getByRole('textbox', { name: /Endpoint/ }).inputValue())
      .toBe('https://example.com');
    // The secret is set, never shown: not in the form, the inspector, or anywhere in the page.
    await see(panel.getByText('A value is set; leave this empty to keep it.'));
    expect(await panel.getByLabel('Access key').inputValue()).toBe('');
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByRole('tab', { name: 'Inspector' }).click();
    const frames = tools.getByRole('list', { name: 'Frames, newest first' });
    await tools.getByLabel('Filter frames').fill('access_code');
    await see(frames.locator('> li').first());
    for (const summary of await frames.locator('details > summary').all()) await summary.click();
    expect(await page.content()).not.toContain('hunter2-secret');
    await tools.getByLabel('Filter frames').fill('');
    await shot(page, 'settings-before-load-loaded', annotate);
  });

  it("#11 a plugin without UI says why, errors speak the page's language, and a skip link comes first", async ({
    annotate,
  }) => {
    await loadPlugin(page, 'history', 'History');
    await see(instancePanel(page).getByText(/This plugin draws no UI/));
    await instancePanel(page).getByRole('button', { name: 'Disconnect' }).click();
    await see(instancePanel(page).getByText(/ · disconnected$/));
    expect(await page.content()).not.toContain('Call connect() first');
    await shot(page, 'no-ui-note', annotate);
    const fresh = await browser.context.newPage();
    await fresh.goto(pg.playground.url);
    await see(fresh.getByText('Connected', { exact: true }));
    await fresh.keyboard.press('Tab');
    expect(await fresh.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the instances');
    await shot(fresh, 'skip-link', annotate);
    await fresh.keyboard.press('Enter');
    expect(await fresh.evaluate(() => document.activeElement?.id)).toBe('pg-main');
    await fresh.close();
  });

  it('#14 the URL names the selected plugin, instance and tool, and opening it restores them', async ({
    annotate,
  }) => {
    const echoTab = page.getByRole('tab', { name: /^Echo/ });
    await echoTab.click();
    const echoId = await echoTab.getAttribute('data-instance');
    await page.getByRole('complementary', { name: 'Tools' }).getByRole('tab', { name: 'Log' }).click();
    const url = new URL(page.url());
    expect(url.searchParams.get('instance')).toBe(echoId);
    expect(url.searchParams.get('plugin')).toBe('echo');
    expect(url.searchParams.get('tool')).toBe('logs');
    const other = await browser.context.newPage();
    await other.goto(url.toString());
    await see(other.getByRole('tab', { name: /^Echo/, selected: true }));
    await see(
      other.getByRole('complementary', { name: 'Tools' }).getByRole('tab', { name: 'Log', selected: true }),
    );
    await shot(other, 'deep-link', annotate);
    await other.close();
  });

  it('#6 fixed panes: the page does not scroll, 12 tabs stay in one row with the message box in view, tabs close', async ({
    annotate,
  }) => {
    for (let i = 0; i < 9; i++) await loadPlugin(page, 'echo', 'Echo');
    const tablist = page.getByRole('tablist', { name: 'Running instances' });
    const count = await tablist.getByRole('tab').count();
    expect(count).toBeGreaterThanOrEqual(12);
    const tops = await tablist
      .getByRole('tab')
      .evaluateAll((els) => new Set(els.map((e) => e.getBoundingClientRect().top)).size);
    expect(tops).toBe(1);
    const box = await instancePanel(page)
      .getByRole('textbox', { name: /^Message to / })
      .boundingBox();
    const viewport = page.viewportSize();
    expect(box !== null && viewport !== null && box.y + box.height <= viewport.height).toBe(true);
    const pageScroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    expect(pageScroll).toBeLessThanOrEqual(0);
    await shot(page, 'twelve-tabs', annotate);
    const selected = tablist.getByRole('tab', { selected: true });
    const closing = await selected.getAttribute('data-instance');
    await selected.locator('.pg-tab-close').click();
    await until(
      () => tablist.locator(`[data-instance="${closing}"]`).count(),
      (n) => n === 0,
    );
    await tablist.getByRole('tab', { selected: true }).focus();
    const next = await tablist.getByRole('tab', { selected: true }).getAttribute('data-instance');
    await page.keyboard.press('Delete');
    await until(
      () => tablist.locator(`[data-instance="${next}"]`).count(),
      (n) => n === 0,
    );
    expect(await tablist.getByRole('tab').count()).toBe(count - 2);
  });

  it('#12 watch mode: an edited config.toml reloads the plugin with a notice; a broken one keeps the old build running', async ({
    annotate,
  }) => {
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    // By its id: a broken config.toml loses the plugin's name, not its folder.
    const item = plugins.locator('li[data-key="echo-copy"]');
    await item.getByRole('button', { name: 'Load echo-copy', exact: true }).click();
    await see(instancePanel(page).getByText(/^echo-copy-\w+ · connected$/));
    const config = join(pg.userDir, 'echo-copy', 'config.toml');
    const original = await readFile(config, 'utf8');
    await writeFile(
      config,
      original.replace(/^description = ".*"$/m, 'description = "Edited while running"'),
    );
    await see(item.getByText(/echo-copy changed on disk and was reloaded \(1 instance kept\)/));
    await see(item.getByText('Edited while running'));
    await see(instancePanel(page).getByText(/^echo-copy-\w+ · connected$/));
    await shot(page, 'watch-reloaded', annotate);
    await writeFile(config, `${original}\n[plugin\nbroken = `);
    await see(item.getByText(/echo-copy changed but is broken .*1 running instance keep the previous build/));
    await chat(page, 'still alive');
    await see(instancePanel(page).getByRole('log').getByText('Echo: still alive'));
    await shot(page, 'watch-broken-keeps-old', annotate);
    await writeFile(config, original);
    await see(item.getByText(/echo-copy changed on disk and was reloaded/));
  });

  it('#12 watch mode: a rebuilt library that fails on_mount shows the error and the old build keeps answering', async ({
    annotate,
  }) => {
    const id = await buildRecorderPlugin(pg.userDir);
    const plugins = page.getByRole('complementary', { name: 'Plugins' });
    await plugins.getByRole('button', { name: 'Rescan' }).click();
    const item = plugins.locator(`li[data-key="${id}"]`);
    await item.getByRole('button', { name: `Load ${id}`, exact: true }).click();
    await see(instancePanel(page).getByText(new RegExp(`^${id}-\\w+ · connected$`)));
    const log = instancePanel(page).getByRole('log');
    await chat(page, 'before the rebuild');
    await until(
      () => log.getByText('before the rebuild', { exact: true }).count(),
      (n) => n === 2,
    );
    const broken = compileRecorder(join(pg.dir, 'mount-fails.so'), ['-DMOUNT_FAILS']);
    await copyFile(broken, join(pg.userDir, id, `lib${id}.so`));
    await see(
      item.getByText(
        /dispose-recorder changed but could not be reloaded \(.*this rebuild refuses to mount\); 1 running instance keep the previous build/,
      ),
    );
    await chat(page, 'after the rebuild');
    await until(
      () => log.getByText('after the rebuild', { exact: true }).count(),
      (n) => n === 2,
    );
    expect(await log.getByText('before the rebuild', { exact: true }).count()).toBe(2);
    await see(instancePanel(page).getByText(new RegExp(`^${id}-\\w+ · connected$`)));
    await shot(page, 'watch-rebuild-fails-mount-keeps-old', annotate);
  });

  it('has no axe-core violations in the light and the dark theme', async ({ annotate }) => {
    await page.getByRole('tab', { name: /^Needs endpoint/ }).click();
    await see(instancePanel(page).getByRole('form', { name: 'Plugin settings' }));
    const theme = page.getByRole('button', { name: /^Theme:/ });
    for (const wanted of ['light', 'dark']) {
      while ((await theme.textContent()) !== `Theme: ${wanted}`) await theme.click();
      // Each tool tab in turn, with an open frame in the inspector and the settings form shown.
      for (const tool of ['Inspector', 'Log', 'App config']) {
        await page.getByRole('complementary', { name: 'Tools' }).getByRole('tab', { name: tool }).click();
        if (tool === 'Inspector') await page.locator('.pg-frame details > summary').first().click();
        const violations = await axeViolations(page);
        expect(violations, `${wanted}, ${tool}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
      }
      await shot(page, `axe-${wanted}`, annotate);
    }
    while ((await theme.textContent()) !== 'Theme: system') await theme.click();
  });

  it('at 375 px wide the instance area is in the first screen, after a capped plugin list', async ({
    annotate,
  }) => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 375, height: 667 });
    await narrow.goto(pg.playground.url);
    await see(narrow.getByText('Connected', { exact: true }));
    const main = await narrow.locator('#pg-main').boundingBox();
    expect(main !== null && main.y < 667 - 100).toBe(true);
    const list = await narrow.locator('.pg-sidebar .pg-vlist').boundingBox();
    expect(list !== null && list.height <= 667 * 0.3).toBe(true);
    const overflowX = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflowX).toBeLessThanOrEqual(0);
    await shot(narrow, 'narrow-375', annotate);
    await narrow.close();
  });
});
