import type { Browser, BrowserContext, Page } from 'playwright-core';
import { platformUnderTest } from '../platform';
import { accessibilityProblems } from './accessibility';
import { DESKTOP, launchBrowser, PHONE, screenshots, watchForPageErrors } from './browser';

/**
 * What a shopper notices beyond the happy path: a failing API shows a message, never a blank
 * page; the shop fits a 375 px phone; it can be used with the keyboard; pictures have alt text.
 */
const { websiteUrl, apiUrl } = platformUnderTest();
const screenshot = screenshots('storefront-quality');

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  context = await browser.newContext(DESKTOP);
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

describe('when the API fails', () => {
  it('shows the error message of a 5xx on the page, and the rest of the shop still works', async () => {
    await context.route(`${apiUrl}products?*`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          message: 'Product search is unavailable for a moment.',
          requestId: 'e2e-503',
        }),
      }),
    );
    await page.goto(`${websiteUrl}/category/kitchen`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Something went wrong on our side. Try again later.');
    expect(await alert.textContent()).toContain('Reference: e2e-503');
    await page.getByRole('heading', { level: 1, name: 'Kitchen' }).waitFor();
    await page.getByRole('navigation', { name: 'Departments' }).waitFor();
    await screenshot(page, 'api-503');
  });

  it("shows a 4xx's own message", async () => {
    await context.route(`${apiUrl}products/*`, (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'No product kit-9999' }),
      }),
    );
    await page.goto(`${websiteUrl}/products/kit-9999`);
    await page.getByRole('alert').filter({ hasText: 'No product kit-9999' }).waitFor();
    await screenshot(page, 'api-404');
  });

  it('says the shop cannot be reached when the network fails, and recovers on "Try again"', async () => {
    let failing = true;
    await context.route(`${apiUrl}products/*`, (route) =>
      failing ? route.abort('connectionfailed') : route.fallback(),
    );
    await page.goto(`${websiteUrl}/products/kit-0001`);
    const alert = page.getByRole('alert').filter({ hasText: 'The shop could not be reached' });
    await alert.waitFor({ timeout: 20_000 });
    await screenshot(page, 'network-down');
    failing = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Cast-Iron Skillet' }).waitFor();
  });

  it('says so when the site configuration cannot be read', async () => {
    await context.route(`${websiteUrl}/config.json`, (route) => route.fulfill({ status: 500, body: '' }));
    await page.goto(`${websiteUrl}/`);
    await page.getByRole('heading', { name: 'The shop cannot open right now' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      "The shop's configuration is missing (HTTP 500).",
    );
  });
});

describe('the storefront', () => {
  it('fits a 375 px phone screen, with no sideways scrolling', async () => {
    const phone = await browser.newContext(PHONE);
    const onPhone = await phone.newPage();
    const errors = watchForPageErrors(onPhone);
    for (const [path, name] of [
      ['/', 'phone-home'],
      ['/products/kit-0001', 'phone-product'],
      ['/category/audio', 'phone-category'],
    ] as const) {
      await onPhone.goto(`${websiteUrl}${path}`);
      await onPhone.getByRole('heading', { level: 1 }).waitFor();
      await onPhone.getByRole('img').first().waitFor();
      const overflow = await onPhone.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await screenshot(onPhone, name);
      expect(await accessibilityProblems(onPhone)).toEqual([]);
    }
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('can be used with the keyboard: a skip link first, then every control in order', async () => {
    await page.goto(`${websiteUrl}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    // Search by keyboard alone.
    await page.getByRole('searchbox', { name: 'Search products' }).focus();
    await page.keyboard.type('lamp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Results for “lamp”' }).waitFor();
  });

  it('is audited by a check that does find problems (a page with a nameless image and button)', async () => {
    await page.setContent(
      '<html lang="en"><body><main><img src="/favicon.svg"><button></button></main></body></html>',
    );
    const problems = await accessibilityProblems(page);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^image-alt: /),
        expect.stringMatching(/^button-name: /),
      ]),
    );
  });

  it('gives every picture a text alternative', async () => {
    await page.goto(`${websiteUrl}/category/kitchen`);
    await page.getByRole('img').first().waitFor();
    const alts = await page
      .locator('img')
      .evaluateAll((images) => images.map((image) => image.getAttribute('alt')));
    expect(alts.length).toBeGreaterThan(0);
    expect(alts.filter((alt) => !alt?.trim())).toEqual([]);
  });
});
