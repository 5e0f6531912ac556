import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** The Chromium binary: `PI_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.PI_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium with a fresh profile; disposing it closes the browser and deletes the profile. */
export interface TestBrowser extends AsyncDisposable {
  readonly context: BrowserContext;
}

/** Launch headless Chromium with a throw-away user-data dir and no background traffic. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}. \`npm test\` installs Debian's chromium package; or set PI_CHROMIUM to a Chromium binary.`,
    );
  const profile = await mkdtemp(join(tmpdir(), 'pi-playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
