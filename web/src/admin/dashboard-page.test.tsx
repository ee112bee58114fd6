import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../api/api-error';
import type { Product, RealtimeDashboard } from '../api/shop-api';
import { ShopServicesContext, type ShopServices } from '../shop-services';
import AdminDashboardPage from './dashboard-page';
import { minute } from './testing/dashboard-fixtures';
import FakeUPlot, { installChartEnvironment } from './testing/fake-uplot';

jest.mock('uplot', () => jest.requireActual('./testing/fake-uplot'));

const FIRST_ANSWER: RealtimeDashboard = {
  series: [
    minute('2026-11-25T20:32', {
      pageViews: 120,
      productViews: 80,
      addToCarts: 10,
      checkouts: 5,
      sessions: 30,
    }),
    minute('2026-11-25T20:33', {
      pageViews: 150,
      productViews: 100,
      addToCarts: 25,
      checkouts: 15,
      purchases: 10,
      revenue: 46990,
      sessions: 42,
    }),
    minute('2026-11-25T20:34', { pageViews: 30, productViews: 20, addToCarts: 5, sessions: 12 }),
  ],
  topProducts: [
    { productId: 'kit-0007', views: 60, addToCarts: 20, purchases: 8 },
    { productId: 'kit-0042', views: 90, addToCarts: 12, purchases: 2 },
    { productId: 'kit-0999', views: 5, addToCarts: 0, purchases: 0 },
  ],
  funnel: {
    productViews: 200,
    addToCarts: 40,
    checkouts: 20,
    purchases: 10,
    rates: { viewToCart: 0.2, cartToCheckout: 0.5, checkoutToPurchase: 0.5, viewToPurchase: 0.05 },
  },
};

const SECOND_ANSWER: RealtimeDashboard = {
  ...FIRST_ANSWER,
  series: [
    ...FIRST_ANSWER.series.slice(1),
    minute('2026-11-25T20:35', { pageViews: 700, productViews: 10, sessions: 50 }),
  ],
  funnel: {
    ...FIRST_ANSWER.funnel,
    addToCarts: 50,
    rates: { ...FIRST_ANSWER.funnel.rates, viewToCart: 0.25 },
  },
};

const CATALOG: Record<string, Product> = {
  'kit-0007': product('kit-0007', 'Chef knife'),
  'kit-0042': product('kit-0042', 'Cast iron skillet'),
};

function product(productId: string, name: string): Product {
  return {
    productId,
    name,
    description: `${name}, for the kitchen`,
    category: 'kitchen',
    price: 4699,
    currency: 'USD',
    imagePath: `/images/products/${productId}.svg`,
    stock: 10,
  };
}

interface FakeApi {
  realtimeAnalytics: jest.Mock<Promise<RealtimeDashboard>, [{ minutes?: number }, AbortSignal?]>;
  getProduct: jest.Mock<Promise<Product>, [string, AbortSignal?]>;
}

function renderPage(api: FakeApi) {
  const services = { api } as unknown as ShopServices;
  const queryClient = new QueryClient();
  return render(
    <QueryClientProvider client={queryClient}>
      <ShopServicesContext.Provider value={services}>
        <AdminDashboardPage />
      </ShopServicesContext.Provider>
    </QueryClientProvider>,
  );
}

function fakeApi(...answers: (RealtimeDashboard | Error | Promise<RealtimeDashboard>)[]): FakeApi {
  const realtimeAnalytics: FakeApi['realtimeAnalytics'] = jest.fn();
  for (const answer of answers) {
    realtimeAnalytics.mockImplementationOnce(() =>
      answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer),
    );
  }
  return {
    realtimeAnalytics,
    getProduct: jest.fn(async (productId: string) => {
      const found = CATALOG[productId];
      if (!found) throw new ApiError('We could not find what you asked for.', 404);
      return found;
    }),
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** The value shown beside a headline figure's label. */
function headline(label: string): string | null | undefined {
  const totals = screen.getByRole('region', { name: /^Totals/ });
  return within(totals).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
}

/** Lets an answer reach the page: react-query tells its observers on a timer. */
async function answered(answer: () => void) {
  await act(async () => {
    answer();
    await jest.advanceTimersByTimeAsync(0);
  });
}

/** Lets the 5-second refresh come round. */
async function nextRefresh() {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(5_000);
  });
}

describe('AdminDashboardPage', () => {
  let environment: ReturnType<typeof installChartEnvironment>;

  beforeEach(() => {
    jest.useFakeTimers();
    FakeUPlot.instances.length = 0;
    environment = installChartEnvironment();
  });

  afterEach(() => {
    environment.restore();
    jest.useRealTimers();
  });

  it('shows a loading status until the first figures come', async () => {
    const answer = deferred<RealtimeDashboard>();
    renderPage(fakeApi(answer.promise));
    expect(screen.getByRole('status')).toHaveTextContent('Loading live analytics…');
    await answered(() => answer.resolve(FIRST_ANSWER));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Live analytics' })).toBeInTheDocument();
  });

  it("asks for the last 60 minutes and shows the window's totals", async () => {
    const api = fakeApi(FIRST_ANSWER);
    renderPage(api);
    expect(await screen.findByRole('heading', { name: 'Totals, last 3 minutes' })).toBeInTheDocument();
    expect(api.realtimeAnalytics).toHaveBeenCalledWith({ minutes: 60 }, expect.any(AbortSignal));
    expect(headline('Page views')).toBe('300');
    expect(headline('Product views')).toBe('200');
    expect(headline('Add to carts')).toBe('40');
    expect(headline('Purchases')).toBe('10');
    expect(headline('Revenue')).toBe('$469.90');
    expect(headline('Sessions (busiest minute)')).toBe('42');
    expect(screen.getByText(/^Last updated \d\d:\d\d:\d\d\./)).toBeInTheDocument();
  });

  it('shows the conversion funnel with its rates as percentages', async () => {
    renderPage(fakeApi(FIRST_ANSWER));
    const funnel = await screen.findByRole('region', { name: 'Conversion funnel' });
    const steps = within(funnel).getAllByRole('listitem');
    expect(steps.map((step) => step.textContent)).toEqual([
      'Product views200',
      'Add to cart4020% of product views',
      'Checkout2050% of add-to-carts',
      'Purchase1050% of checkouts',
    ]);
    expect(funnel).toHaveTextContent('5% of product views ended in a purchase.');
  });

  it('lists the top products by name, and by id when the catalog does not know one', async () => {
    const api = fakeApi(FIRST_ANSWER);
    renderPage(api);
    const table = await screen.findByRole('table', { name: /^Most purchased/ });
    await waitFor(() =>
      expect(within(table).getByRole('rowheader', { name: 'Chef knife' })).toBeInTheDocument(),
    );
    const rows = within(table)
      .getAllByRole('row')
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['Product', 'Views', 'Add to carts', 'Purchases'],
      ['Chef knife', '60', '20', '8'],
      ['Cast iron skillet', '90', '12', '2'],
      ['kit-0999', '5', '0', '0'],
    ]);
    expect(api.getProduct).toHaveBeenCalledTimes(3);
  });

  it('draws four per-minute charts, each with a text summary', async () => {
    renderPage(fakeApi(FIRST_ANSWER));
    await screen.findByRole('region', { name: 'Per minute' });
    expect(FakeUPlot.instances).toHaveLength(4);
    const views = screen.getByRole('figure', { name: 'Views' });
    expect(views).toHaveAccessibleDescription(
      /^Latest minute, \d\d:\d\d \(in progress\): 30 page views, 20 product views, 12 sessions\./,
    );
    expect(screen.getByRole('figure', { name: 'Revenue' })).toHaveAccessibleDescription(
      /Peak: \$469\.90 revenue at/,
    );
    expect(FakeUPlot.instances[0]!.data[1]).toEqual([120, 150, 30]);
  });

  it('refreshes every 5 seconds, keeping the figures on screen and updating the charts in place', async () => {
    const refresh = deferred<RealtimeDashboard>();
    const api = fakeApi(FIRST_ANSWER, refresh.promise);
    renderPage(api);
    await screen.findByRole('heading', { name: 'Totals, last 3 minutes' });
    expect(api.realtimeAnalytics).toHaveBeenCalledTimes(1);

    await nextRefresh();
    expect(api.realtimeAnalytics).toHaveBeenCalledTimes(2);
    // While the refresh is on its way, the previous figures stay: no loading flash.
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(headline('Page views')).toBe('300');

    await answered(() => refresh.resolve(SECOND_ANSWER));
    expect(headline('Page views')).toBe('880');
    expect(screen.getByText('25% of product views')).toBeInTheDocument();
    expect(FakeUPlot.instances).toHaveLength(4);
    expect(FakeUPlot.instances[0]!.setData).toHaveBeenCalledTimes(1);
    expect(FakeUPlot.instances[0]!.setData.mock.calls[0]![0][1]).toEqual([150, 30, 700]);
    // The product names are asked for once, not on every refresh.
    expect(api.getProduct).toHaveBeenCalledTimes(3);
  });

  it("keeps the figures from another window on screen while the new window's come", async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    const other = deferred<RealtimeDashboard>();
    const api = fakeApi(FIRST_ANSWER, other.promise);
    renderPage(api);
    await screen.findByRole('heading', { name: 'Totals, last 3 minutes' });

    await user.selectOptions(screen.getByLabelText('Window'), 'Last 15 minutes');
    expect(api.realtimeAnalytics).toHaveBeenLastCalledWith({ minutes: 15 }, expect.any(AbortSignal));
    expect(screen.getByText('Loading the last 15 minutes…')).toBeInTheDocument();
    expect(headline('Page views')).toBe('300');

    await answered(() => other.resolve(SECOND_ANSWER));
    expect(headline('Page views')).toBe('880');
    expect(FakeUPlot.instances).toHaveLength(4);
  });

  it("shows the API's message when the figures cannot be had, and stops asking after a 403", async () => {
    const api = fakeApi(new ApiError('Live analytics are for shop staff (the admin group)', 403));
    renderPage(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Live analytics are for shop staff (the admin group)',
    );
    expect(screen.queryByRole('region', { name: /^Totals/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();

    await nextRefresh();
    expect(api.realtimeAnalytics).toHaveBeenCalledTimes(1);
  });

  it('keeps the last figures with a warning when a refresh fails, and recovers on the next one', async () => {
    const api = fakeApi(
      FIRST_ANSWER,
      new ApiError('Something went wrong on our side. Try again later.', 503),
      SECOND_ANSWER,
    );
    renderPage(api);
    await screen.findByRole('heading', { name: 'Totals, last 3 minutes' });

    await nextRefresh();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong on our side. Try again later.');
    expect(alert).toHaveTextContent(/These figures are from \d\d:\d\d:\d\d and may be out of date\./);
    expect(headline('Page views')).toBe('300');

    await nextRefresh();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(headline('Page views')).toBe('880');
  });
});
