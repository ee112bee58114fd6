import type { Browser, Page } from 'playwright-core';
import { eventually } from '../eventually';
import { platformUnderTest } from '../platform';
import { api, json } from '../shop-api';
import { testUsers } from '../test-users';
import { accessibilityProblems } from './accessibility';
import { DESKTOP, launchBrowser, screenshots, watchForPageErrors } from './browser';

/**
 * A shopper's visit in a real browser, against the platform under test: a search, a product and
 * its recommendations, two products in the cart, sign-in at checkout, the order placed and found
 * in the history with the server's total; then shop staff see that visit on the live dashboard.
 * The tests run in order and share the shopper's page.
 */
const { websiteUrl } = platformUnderTest();
const users = testUsers({ shopper: {}, admin: { groups: ['admin'] } });
const screenshot = screenshots('shop-journey');

let browser: Browser;
let page: Page;
let errors: string[];
const inCart: string[] = [];
let orderId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext(DESKTOP)).newPage();
  errors = watchForPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

afterEach(() => {
  // No page threw or logged an error along the way.
  expect(errors.splice(0)).toEqual([]);
});

describe('a shopper in the storefront', () => {
  it('opens the shop and sees what is trending', async () => {
    await page.goto(`${websiteUrl}/`);
    await heading(page, 'Everyday goods, picked for you');
    const trending = page.getByRole('region', { name: 'Trending now' });
    await trending.getByRole('listitem').first().waitFor();
    expect(await trending.getByRole('listitem').count()).toBeGreaterThan(0);
    await seen(page, 'home');
  });

  it('searches the catalog', async () => {
    await page.getByRole('searchbox', { name: 'Search products' }).fill('skillet');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await heading(page, 'Results for “skillet”');
    const results = page.getByRole('list', { name: 'Products matching skillet' });
    await results.getByRole('listitem').first().waitFor();
    const names = await results.getByRole('listitem').getByRole('link').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => /skillet/i.test(name))).toBe(true);
    await seen(page, 'search-results');
  });

  it('opens a product, sees recommendations for it, and adds it to the cart', async () => {
    const first = page.getByRole('list', { name: 'Products matching skillet' }).getByRole('link').first();
    const name = (await first.textContent())!;
    await first.click();
    await heading(page, name);
    const similar = page.getByRole('region', { name: 'Similar products' });
    await similar.getByRole('listitem').first().waitFor();
    expect(await similar.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await similar.getAttribute('data-source')).toMatch(/^(personalize|realtime|popular)$/);
    await addToCart(page, name);
    await seen(page, 'product');
  });

  it('adds a recommended product too', async () => {
    const recommended = page.getByRole('region', { name: 'Similar products' }).getByRole('link').first();
    const name = (await recommended.textContent())!;
    await recommended.click();
    await heading(page, name);
    await addToCart(page, name);
    await seen(page, 'recommended-product');
  });

  it('finds both in the cart and changes a quantity', async () => {
    await page.getByRole('link', { name: /^Cart/ }).click();
    await heading(page, 'Your cart');
    const lines = page.getByRole('list', { name: 'Products in your cart' }).getByRole('listitem');
    expect(await lines.count()).toBe(2);
    await page.getByRole('spinbutton', { name: `Quantity of ${inCart[0]}` }).fill('2');
    await page.getByRole('link', { name: '3 items' }).waitFor();
    await seen(page, 'cart');
  });

  it('is asked to sign in at checkout, and comes back to it once signed in', async () => {
    await page.getByRole('link', { name: 'Check out' }).click();
    await heading(page, 'Sign in');
    await page.getByLabel('Email').fill(users.shopper.email);
    await page.getByLabel('Password').fill(users.shopper.password);
    await seen(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Checkout');
    expect(new URL(page.url()).pathname).toBe('/checkout');
  });

  it('places the order and sees the total the server computed', async () => {
    await page.getByLabel('Full name').fill('Ada Shopper');
    await page.getByLabel('Address', { exact: true }).fill('1 Market Street');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Postal code').fill('12345');
    await seen(page, 'checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await heading(page, 'Thank you for your order');
    orderId = new URL(page.url()).pathname.split('/').pop()!;

    const order = await json(await api(`orders/${orderId}`, { as: users.shopper }));
    expect(
      order.items.map((line: { name: string; quantity: number }) => [line.name, line.quantity]).sort(),
    ).toEqual(
      [
        [inCart[0], 2],
        [inCart[1], 1],
      ].sort(),
    );
    expect(await page.locator('.order-total').textContent()).toBe(usd(order.total));
    // The cart is empty once the order is placed.
    await page.getByRole('link', { name: '0 items' }).waitFor();
    await seen(page, 'order-confirmation');
  });

  it('finds the order in the history, and by searching for a product in it', async () => {
    const order = await json(await api(`orders/${orderId}`, { as: users.shopper }));
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await heading(page, 'Your orders');
    const row = page.getByRole('row', { name: new RegExp(orderId) });
    await row.waitFor();
    expect(await row.locator('.order-total').textContent()).toBe(usd(order.total));
    await seen(page, 'order-history');

    // The search index is fed by the orders stream: the order is there within seconds.
    // A word of the second product's name, such as "Skillet" in "Cast-Iron Skillet, Pro".
    const words = inCart[1]!.split(',')[0]!.split(' ').pop()!;
    await eventually(
      async () => {
        await page.getByLabel('Product or order number').fill(words);
        await page.getByRole('button', { name: 'Search orders' }).click();
        await page.getByRole('status').filter({ hasText: /match/ }).waitFor({ timeout: 5_000 });
        await page.getByRole('row', { name: new RegExp(orderId) }).waitFor({ timeout: 1_000 });
      },
      { within: 60_000, what: `order ${orderId} in the order search` },
    );
    await seen(page, 'order-search');
  }, 90_000);

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    // What the tracker still holds is sent as the page goes away.
    await page.close({ runBeforeUnload: true });
  });
});

describe('shop staff on the live dashboard', () => {
  it('see the views, add-to-carts and purchase of that visit', async () => {
    const admin = await (await browser.newContext(DESKTOP)).newPage();
    errors = watchForPageErrors(admin);
    await admin.goto(`${websiteUrl}/sign-in?next=/admin`);
    await admin.getByLabel('Email').fill(users.admin.email);
    await admin.getByLabel('Password').fill(users.admin.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await heading(admin, 'Live analytics');

    // The clickstream reaches the aggregates within seconds; the dashboard refreshes every 5 s.
    const [bought] = inCart;
    const row = admin.getByRole('row', { name: new RegExp(`^${escape(bought!)}`) });
    const counts = await eventually(
      async () => {
        await row.waitFor({ timeout: 5_000 });
        const [views, addToCarts, purchases] = (await row.getByRole('cell').allTextContents()).map(Number);
        expect(purchases).toBeGreaterThanOrEqual(1);
        return { views, addToCarts, purchases };
      },
      { within: 90_000, every: 1_000, what: `the purchase of ${bought} on the dashboard` },
    );
    expect(counts.views).toBeGreaterThanOrEqual(1);
    expect(counts.addToCarts).toBeGreaterThanOrEqual(1);
    const totals = admin.getByRole('region', { name: /^Totals/ });
    for (const figure of ['Page views', 'Product views', 'Add to carts', 'Purchases']) {
      const value = await totals
        .getByText(figure, { exact: true })
        .locator('xpath=following-sibling::dd[1]')
        .textContent();
      expect(Number(value!.replace(/[^0-9]/g, ''))).toBeGreaterThanOrEqual(1);
    }
    await seen(admin, 'admin-dashboard');
  }, 120_000);
});

async function heading(on: Page, name: string): Promise<void> {
  await on.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

async function addToCart(on: Page, name: string): Promise<void> {
  await on.getByRole('button', { name: 'Add to cart' }).click();
  await on.getByRole('status').filter({ hasText: 'Added 1 to your cart' }).waitFor();
  inCart.push(name);
}

function usd(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A page of the visit: its screenshot, and no serious accessibility problem on it (axe-core, WCAG 2.1 AA). */
async function seen(on: Page, name: string): Promise<void> {
  await screenshot(on, name);
  expect(await accessibilityProblems(on)).toEqual([]);
}
