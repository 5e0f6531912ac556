/**
 * Browser benchmark: the streamer plugin sends 10,000 chunks from its own thread; the page renders
 * them while we click Send for a second command and time the plugin's answer. Prints figures.
 * Run with `pnpm --filter @plugin-interfaces/playground bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchBrowser } from '../e2e/browser.js';
import { startPlayground } from '../server/playground.js';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const dir = await mkdtemp(join(tmpdir(), 'pi-playground-bench-'));
const playground = await startPlayground({
  port: 0,
  rust: false,
  builtPluginsDir: join(dir, 'examples'),
  userPluginsDir: join(dir, 'user'),
  onProgress: () => undefined,
});
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(playground.url);
  await page.getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Load streamer', exact: true }).click();
  await page
    .getByRole('tabpanel')
    .getByText(/^streamer-\w+ · connected$/)
    .waitFor();
  const box = page.getByRole('tabpanel').getByRole('textbox', { name: /^Message to / });

  // Longest gap between animation frames while the stream renders: how janky the page gets.
  // (A string, not a function: tsx's name helpers do not exist inside the page.)
  await page.evaluate(`(() => {
    window.maxGap = 0;
    window.stopGaps = false;
    let last = performance.now();
    const tick = (now) => {
      window.maxGap = Math.max(window.maxGap, now - last);
      last = now;
      if (!window.stopGaps) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);

  const started = performance.now();
  await box.fill(`stream ${CHUNKS}`);
  await box.press('Enter');
  const stream = page.getByRole('article', { name: `Counting to ${CHUNKS}` });
  await stream.getByText('chunk 1', { exact: false }).first().waitFor({ timeout: 60_000 });

  // While chunks are still arriving: click Send for another command and wait for the plugin's answer.
  await box.fill('stream 1');
  const stillStreaming = (await stream.getAttribute('data-stream-state')) === 'active';
  const clicked = performance.now();
  await page.getByRole('tabpanel').getByRole('button', { name: 'Send' }).click();
  await page.getByRole('article', { name: 'Counting to 1', exact: true }).getByText('Completed').waitFor({
    timeout: 60_000,
  });
  const answerMs = performance.now() - clicked;

  await stream.getByText('Completed', { exact: true }).waitFor({ timeout: 120_000 });
  const totalMs = performance.now() - started;
  const text = (await stream.locator('.pi-markdown').textContent()) ?? '';
  const maxGap = Number(await page.evaluate('(window.stopGaps = true, window.maxGap)'));
  const received = (text.match(/chunk \d+/g) ?? []).length;
  console.log(`stream of ${CHUNKS} chunks rendered in the page (Chromium headless)`);
  console.log(`  chunks shown:           ${received} of ${CHUNKS}`);
  console.log(`  time to last chunk:     ${totalMs.toFixed(0)} ms`);
  console.log(`  throughput:             ${((received / totalMs) * 1000).toFixed(0)} chunks/s`);
  console.log(
    `  click → plugin answer:  ${answerMs.toFixed(0)} ms (${stillStreaming ? 'clicked while the stream was running' : 'clicked after the stream ended'})`,
  );
  console.log(`  longest frame gap:      ${maxGap.toFixed(0)} ms`);
} finally {
  await browser[Symbol.asyncDispose]();
  await playground.close();
  await rm(dir, { recursive: true, force: true });
}
