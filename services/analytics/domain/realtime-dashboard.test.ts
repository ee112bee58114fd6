import type { MinuteAggregates, MinuteTotals } from './minute-aggregate-reader';
import { estimateDistinctSessions, TOTAL_COUNTERS, type TotalCounter } from './minute-aggregates';
import { buildRealtimeDashboard } from './realtime-dashboard';

const WINDOW = ['2026-11-25T20:30', '2026-11-25T20:31', '2026-11-25T20:32', '2026-11-25T20:33'];

function totals(counters: Partial<Record<TotalCounter, number>>, sessionBuckets = 0): MinuteTotals {
  return {
    ...(Object.fromEntries(TOTAL_COUNTERS.map((counter) => [counter, 0])) as Record<TotalCounter, number>),
    ...counters,
    sessionBuckets: new Set(Array.from({ length: sessionBuckets }, (_, bucket) => String(bucket))),
  };
}

const ZERO_MINUTE = {
  pageViews: 0,
  productViews: 0,
  addToCarts: 0,
  checkouts: 0,
  purchases: 0,
  revenue: 0,
  sessions: 0,
};

describe('buildRealtimeDashboard', () => {
  describe('series', () => {
    it('has one entry per minute of the window, oldest first, whatever order the aggregates come in', () => {
      const aggregates: MinuteAggregates[] = [
        { minute: '2026-11-25T20:33', totals: totals({ pageViews: 4 }), products: [] },
        { minute: '2026-11-25T20:30', totals: totals({ pageViews: 1 }), products: [] },
      ];
      const { series } = buildRealtimeDashboard(WINDOW, aggregates);
      expect(series.map((entry) => [entry.minute, entry.pageViews])).toEqual([
        ['2026-11-25T20:30', 1],
        ['2026-11-25T20:31', 0],
        ['2026-11-25T20:32', 0],
        ['2026-11-25T20:33', 4],
      ]);
    });

    it("copies each minute's counters, revenue in cents included", () => {
      const minuteTotals = totals({
        pageViews: 40,
        productViews: 24,
        searches: 3,
        addToCarts: 8,
        removeFromCarts: 1,
        checkouts: 4,
        purchases: 3,
        revenue: 8997,
      });
      const { series } = buildRealtimeDashboard(
        ['2026-11-25T20:30'],
        [{ minute: '2026-11-25T20:30', totals: minuteTotals, products: [] }],
      );
      expect(series).toEqual([
        {
          minute: '2026-11-25T20:30',
          pageViews: 40,
          productViews: 24,
          addToCarts: 8,
          checkouts: 4,
          purchases: 3,
          revenue: 8997,
          sessions: 0,
        },
      ]);
    });

    it('fills with zeros a minute with no aggregates, or with products but no totals', () => {
      const { series } = buildRealtimeDashboard(WINDOW, [
        {
          minute: '2026-11-25T20:31',
          products: [{ productId: 'tent', views: 1, addToCarts: 0, purchases: 0 }],
        },
      ]);
      expect(series).toEqual(WINDOW.map((minute) => ({ minute, ...ZERO_MINUTE })));
    });

    it('estimates distinct sessions from the number of session buckets seen, as the contract says', () => {
      const { series } = buildRealtimeDashboard(
        ['2026-11-25T20:30'],
        [{ minute: '2026-11-25T20:30', totals: totals({}, 3_000), products: [] }],
      );
      expect(series[0]?.sessions).toBe(estimateDistinctSessions(3_000));
      // Many sessions share a bucket at this fill: the estimate is well above the bucket count.
      expect(series[0]?.sessions).toBeGreaterThan(5_000);
    });
  });

  it('leaves out aggregates of minutes outside the window, from the series, products and funnel', () => {
    const dashboard = buildRealtimeDashboard(
      ['2026-11-25T20:30'],
      [
        {
          minute: '2026-11-25T20:29',
          totals: totals({ pageViews: 99, productViews: 99, purchases: 9 }),
          products: [{ productId: 'old', views: 9, addToCarts: 9, purchases: 9 }],
        },
      ],
    );
    expect(dashboard.series).toEqual([{ minute: '2026-11-25T20:30', ...ZERO_MINUTE }]);
    expect(dashboard.topProducts).toEqual([]);
    expect(dashboard.funnel).toMatchObject({ productViews: 0, purchases: 0 });
  });

  it('ranks the products summed over the window', () => {
    const { topProducts } = buildRealtimeDashboard(WINDOW, [
      {
        minute: '2026-11-25T20:30',
        products: [
          { productId: 'tent', views: 2, addToCarts: 1, purchases: 1 },
          { productId: 'knife', views: 8, addToCarts: 3, purchases: 1 },
        ],
      },
      {
        minute: '2026-11-25T20:33',
        products: [{ productId: 'tent', views: 1, addToCarts: 0, purchases: 1 }],
      },
    ]);
    expect(topProducts).toEqual([
      { productId: 'tent', views: 3, addToCarts: 1, purchases: 2 },
      { productId: 'knife', views: 8, addToCarts: 3, purchases: 1 },
    ]);
  });

  it("builds the funnel from the minutes' totals, not from the product items", () => {
    const { funnel } = buildRealtimeDashboard(WINDOW, [
      {
        minute: '2026-11-25T20:30',
        totals: totals({ productViews: 40, addToCarts: 10, checkouts: 5, purchases: 2 }),
        products: [{ productId: 'tent', views: 1, addToCarts: 1, purchases: 1 }],
      },
      {
        minute: '2026-11-25T20:32',
        totals: totals({ productViews: 10, addToCarts: 10, checkouts: 5, purchases: 3 }),
        products: [],
      },
    ]);
    expect(funnel).toEqual({
      productViews: 50,
      addToCarts: 20,
      checkouts: 10,
      purchases: 5,
      rates: { viewToCart: 0.4, cartToCheckout: 0.5, checkoutToPurchase: 0.5, viewToPurchase: 0.1 },
    });
  });
});
