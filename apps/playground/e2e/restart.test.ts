import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground } from '../server/playground.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import {
  chat,
  instancePanel,
  loadPlugin,
  see,
  shot,
  startTestPlayground,
  type TestPlayground,
} from './harness.js';

describe('#5 a restart does not strand the open page', () => {
  let pg: TestPlayground;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    pg = await startTestPlayground();
    page = await browser.context.newPage();
    await page.goto(pg.playground.url);
    await see(page.getByText('Connected', { exact: true }));
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await pg?.close();
  });

  it('keeps the token, reconnects by itself and restores instances, settings and app config', async ({
    annotate,
  }) => {
    await loadPlugin(page, 'echo', 'Echo');
    const echoId = await page.getByRole('tab', { name: /^Echo/ }).getAttribute('data-instance');
    await chat(page, 'before restart');
    await see(instancePanel(page).getByRole('log').getByText('Echo: before restart'));
    const tools = page.getByRole('complementary', { name: 'Tools' });
    await tools.getByRole('tab', { name: 'App config' }).click();
    await tools.getByLabel('Key').fill('theme');
    await tools.getByLabel('Value', { exact: true }).fill('"dark"');
    await tools.getByRole('button', { name: 'Set' }).click();
    await see(tools.getByText('"dark"'));

    const { port, token } = pg.playground;
    await pg.playground.close();
    await see(page.getByText('Not connected to the plugin host', { exact: false }));
    expect(
      await instancePanel(page)
        .getByRole('textbox', { name: /^Message to / })
        .isDisabled(),
    ).toBe(true);
    await shot(page, 'restart-disconnected', annotate);

    const restarted = await startPlayground({
      port,
      rust: false,
      skipBuild: true,
      builtPluginsDir: pg.examplesDir,
      userPluginsDir: pg.userDir,
      stateDir: pg.stateDir,
      onProgress: () => undefined,
    });
    try {
      expect(restarted.token).toBe(token);
      await see(page.getByText(/^Connected/));
      const tab = page.getByRole('tab', { name: /^Echo/ });
      await see(tab);
      expect(await tab.getAttribute('data-instance')).toBe(echoId);
      await see(instancePanel(page).getByText(/ · connected$/));
      await see(tools.getByText('"dark"'));
      await chat(page, 'after restart');
      await see(instancePanel(page).getByRole('log').getByText('Echo: after restart'));
      await shot(page, 'restart-restored', annotate);
    } finally {
      await restarted.close();
    }
  });

  it('starts empty with fresh: true (--fresh) but keeps the token', async () => {
    const again = await startPlayground({
      port: 0,
      rust: false,
      skipBuild: true,
      builtPluginsDir: pg.examplesDir,
      userPluginsDir: pg.userDir,
      stateDir: pg.stateDir,
      fresh: true,
      onProgress: () => undefined,
    });
    try {
      const fresh = await browser.context.newPage();
      await fresh.goto(again.url);
      await see(fresh.getByText('Connected', { exact: true }));
      await see(fresh.getByText('No plugin is loaded.', { exact: false }));
      expect(again.token).toBe(pg.playground.token);
      await fresh.close();
    } finally {
      await again.close();
    }
  });
});
