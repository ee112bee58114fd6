import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useId, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import type { Product, RealtimeDashboard } from '../api/shop-api';
import { formatPrice } from '../format/price';
import { useShopServices } from '../shop-services';
import {
  chartData,
  chartSummary,
  DEFAULT_WINDOW_MINUTES,
  formatClockTime,
  formatCount,
  formatPercent,
  REFRESH_INTERVAL_MS,
  windowTotals,
  WINDOW_CHOICES,
  type MinuteActivity,
  type MinuteField,
  type ProductActivity,
} from './dashboard-figures';
import './dashboard.css';
import { MinuteChart, type MinuteChartLine } from './minute-chart';

/** The currency of revenue when no product has told us the catalog's. */
const DEFAULT_CURRENCY = 'USD';
/** Product names hardly change: fetched once per visit of the dashboard, whatever the refreshes. */
const PRODUCT_CACHE_MS = 60 * 60 * 1000;

interface ChartDefinition {
  readonly title: string;
  readonly fields: readonly { readonly field: MinuteField; readonly label: string }[];
  /** The legend's lines, one per field: a constant, so that the plot is built only once. */
  readonly lines: readonly MinuteChartLine[];
  readonly money?: boolean;
}

function chart(
  title: string,
  fields: readonly { field: MinuteField; label: string; legend: string; color: string }[],
  money = false,
): ChartDefinition {
  return {
    title,
    fields: fields.map(({ field, label }) => ({ field, label })),
    lines: fields.map(({ legend, color }) => ({ label: legend, color })),
    money,
  };
}

const CHARTS: readonly ChartDefinition[] = [
  chart('Views', [
    { field: 'pageViews', label: 'page views', legend: 'Page views', color: '#2563eb' },
    { field: 'productViews', label: 'product views', legend: 'Product views', color: '#9333ea' },
    { field: 'sessions', label: 'sessions', legend: 'Sessions', color: '#64748b' },
  ]),
  chart('Carts and checkouts', [
    { field: 'addToCarts', label: 'add-to-carts', legend: 'Add to cart', color: '#d97706' },
    { field: 'checkouts', label: 'checkouts', legend: 'Checkouts', color: '#0891b2' },
  ]),
  chart('Purchases', [{ field: 'purchases', label: 'purchases', legend: 'Purchases', color: '#059669' }]),
  chart('Revenue', [{ field: 'revenue', label: 'revenue', legend: 'Revenue', color: '#dc2626' }], true),
];

/**
 * The shop staff's live view of the clickstream (`GET /analytics/realtime`, admin group only),
 * refreshed every 5 seconds in place: the figures of the previous answer stay on screen while the
 * next one loads, when the window changes, and when a refresh fails (with a warning).
 * The default export, so that the shell can load it, and uPlot with it, with React.lazy.
 */
export default function AdminDashboardPage() {
  const { api } = useShopServices();
  const [minutes, setMinutes] = useState<number>(DEFAULT_WINDOW_MINUTES);
  const windowId = useId();

  const { data, error, dataUpdatedAt, isPending, isPlaceholderData, isFetching, refetch } = useQuery({
    queryKey: ['analytics', 'realtime', minutes],
    queryFn: ({ signal }) => api.realtimeAnalytics({ minutes }, signal),
    // The next refresh is the retry; after a 401, 403 or 400 asking again cannot help.
    refetchInterval: (query) => (isFinal(query.state.error) ? false : REFRESH_INTERVAL_MS),
    retry: false,
    placeholderData: keepPreviousData,
  });

  const productIds = data?.topProducts.map((product) => product.productId) ?? [];
  const products = useQueries({
    queries: productIds.map((productId) => ({
      queryKey: ['products', productId],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.getProduct(productId, signal),
      staleTime: PRODUCT_CACHE_MS,
      gcTime: PRODUCT_CACHE_MS,
      // A product gone from the catalog shows by its id.
      retry: false,
    })),
  });
  const productsById = new Map<string, Product>();
  for (const { data: product } of products) if (product) productsById.set(product.productId, product);
  const currency = productsById.values().next().value?.currency ?? DEFAULT_CURRENCY;

  return (
    <div className="admin-dashboard">
      <header className="admin-dashboard__header">
        <h1>Live analytics</h1>
        <div className="admin-dashboard__controls">
          <label htmlFor={windowId}>Window</label>
          <select id={windowId} value={minutes} onChange={(event) => setMinutes(Number(event.target.value))}>
            {WINDOW_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                Last {choice} minutes
              </option>
            ))}
          </select>
        </div>
        <p className="admin-dashboard__updated">
          {isPlaceholderData && isFetching
            ? `Loading the last ${minutes} minutes…`
            : dataUpdatedAt > 0 &&
              `Last updated ${formatClockTime(dataUpdatedAt)}. Updates every ${REFRESH_INTERVAL_MS / 1000} seconds.`}
        </p>
      </header>

      {error && (
        <div role="alert" className="admin-dashboard__error">
          <p>{error instanceof ApiError ? error.message : 'The live analytics could not be loaded.'}</p>
          {data && !isPlaceholderData && (
            <p className="admin-dashboard__stale">
              These figures are from {formatClockTime(dataUpdatedAt)} and may be out of date.
            </p>
          )}
          {!isFinal(error) && (
            <button type="button" onClick={() => void refetch()} disabled={isFetching}>
              Try again
            </button>
          )}
        </div>
      )}

      {data ? (
        <Dashboard dashboard={data} currency={currency} productsById={productsById} />
      ) : (
        isPending && (
          <p role="status" className="admin-dashboard__loading">
            Loading live analytics…
          </p>
        )
      )}
    </div>
  );
}

function Dashboard({
  dashboard,
  currency,
  productsById,
}: {
  dashboard: RealtimeDashboard;
  currency: string;
  productsById: ReadonlyMap<string, Product>;
}) {
  const { series, funnel, topProducts } = dashboard;
  const windowLabel = `last ${series.length} ${series.length === 1 ? 'minute' : 'minutes'}`;
  const money = useCallback((cents: number) => formatPrice(cents, currency), [currency]);
  return (
    <>
      <Headline series={series} windowLabel={windowLabel} money={money} />

      <Section title="Per minute">
        <div className="admin-dashboard__charts">
          {CHARTS.map((definition) => (
            <SeriesChart key={definition.title} definition={definition} series={series} money={money} />
          ))}
        </div>
      </Section>

      <Section title="Conversion funnel">
        <Funnel funnel={funnel} />
      </Section>

      <Section title="Top products now">
        <TopProducts products={topProducts} productsById={productsById} windowLabel={windowLabel} />
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="admin-dashboard__section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

function Headline({
  series,
  windowLabel,
  money,
}: {
  series: readonly MinuteActivity[];
  windowLabel: string;
  money: (cents: number) => string;
}) {
  const totals = windowTotals(series);
  const figures: readonly [string, string][] = [
    ['Page views', formatCount(totals.pageViews)],
    ['Product views', formatCount(totals.productViews)],
    ['Add to carts', formatCount(totals.addToCarts)],
    ['Purchases', formatCount(totals.purchases)],
    ['Revenue', money(totals.revenue)],
    ['Sessions (busiest minute)', formatCount(totals.peakSessionsPerMinute)],
  ];
  return (
    <Section title={`Totals, ${windowLabel}`}>
      <dl className="admin-dashboard__figures">
        {figures.map(([label, value]) => (
          <div key={label} className="admin-dashboard__figure">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function SeriesChart({
  definition,
  series,
  money,
}: {
  definition: ChartDefinition;
  series: readonly MinuteActivity[];
  money: (cents: number) => string;
}) {
  const { title, fields, lines } = definition;
  const format = definition.money ? money : undefined;
  // The same series (react-query keeps an unchanged answer's object) gives the same columns: no redraw.
  const data = useMemo(
    () =>
      chartData(
        series,
        fields.map(({ field }) => field),
      ),
    [series, fields],
  );
  return (
    <MinuteChart
      title={title}
      summary={chartSummary(series, fields, format)}
      lines={lines}
      data={data}
      formatValue={format}
    />
  );
}

function Funnel({ funnel }: { funnel: RealtimeDashboard['funnel'] }) {
  const { rates } = funnel;
  const steps = [
    { label: 'Product views', count: funnel.productViews },
    { label: 'Add to cart', count: funnel.addToCarts, rate: rates.viewToCart, of: 'product views' },
    { label: 'Checkout', count: funnel.checkouts, rate: rates.cartToCheckout, of: 'add-to-carts' },
    { label: 'Purchase', count: funnel.purchases, rate: rates.checkoutToPurchase, of: 'checkouts' },
  ];
  const widest = Math.max(1, ...steps.map((step) => step.count));
  return (
    <>
      <ol className="admin-funnel">
        {steps.map(({ label, count, rate, of }) => (
          <li key={label} className="admin-funnel__step">
            <span className="admin-funnel__label">{label}</span>
            <span className="admin-funnel__count">{formatCount(count)}</span>
            {rate !== undefined && (
              <span className="admin-funnel__rate">
                {formatPercent(rate)} of {of}
              </span>
            )}
            <span
              className="admin-funnel__bar"
              aria-hidden="true"
              style={{ width: `${Math.round((count / widest) * 100)}%` }}
            />
          </li>
        ))}
      </ol>
      <p className="admin-funnel__overall">
        <strong>{formatPercent(rates.viewToPurchase)}</strong> of product views ended in a purchase.
      </p>
    </>
  );
}

function TopProducts({
  products,
  productsById,
  windowLabel,
}: {
  products: readonly ProductActivity[];
  productsById: ReadonlyMap<string, Product>;
  windowLabel: string;
}) {
  if (products.length === 0) return <p>No product was viewed in the {windowLabel}.</p>;
  return (
    <div className="admin-dashboard__table-scroll">
      <table className="admin-dashboard__table">
        <caption>Most purchased, then added to cart, then viewed, {windowLabel}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Views</th>
            <th scope="col">Add to carts</th>
            <th scope="col">Purchases</th>
          </tr>
        </thead>
        <tbody>
          {products.map(({ productId, views, addToCarts, purchases }) => (
            <tr key={productId}>
              <th scope="row">{productsById.get(productId)?.name ?? productId}</th>
              <td>{formatCount(views)}</td>
              <td>{formatCount(addToCarts)}</td>
              <td>{formatCount(purchases)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An error that the same request will meet again: stop refreshing until asked. */
function isFinal(error: unknown): boolean {
  return error instanceof ApiError && !error.retryable;
}
