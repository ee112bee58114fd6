import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Where each end-to-end test saves its screenshots, one folder per test file. */
export const SCREENSHOTS_DIRECTORY = path.join(__dirname, '..', '..', 'reports', 'e2e', 'screenshots');

/**
 * The Chromium to drive: `CHROMIUM_PATH`, else Debian's (`apt-get install chromium`), else the one
 * `npx playwright-core install chromium` downloads (the pipeline's build image).
 */
function executablePath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Headless Chromium, quiet: no updates, sync or background requests of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: executablePath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Chrome's own user agent: headless Chromium announces itself as `HeadlessChrome`, which the
 * clickstream processor rightly counts as a bot and leaves out of the live figures.
 */
const SHOPPER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36';

export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 900 },
  userAgent: SHOPPER_USER_AGENT,
};
export const PHONE: BrowserContextOptions = {
  userAgent: `${SHOPPER_USER_AGENT} Mobile`,
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/**
 * Collects what a page reports that a shopper would not see: uncaught errors and console errors.
 * A test expects none, except those it caused on purpose.
 */
export function watchForPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Saves a full-page screenshot as `<folder>/<NN>-<name>.png`, numbered in the order taken. */
export function screenshots(folder: string): (page: Page, name: string) => Promise<void> {
  const directory = path.join(SCREENSHOTS_DIRECTORY, folder);
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  let count = 0;
  return async (page, name) => {
    count += 1;
    await page.screenshot({
      path: path.join(directory, `${String(count).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
}
