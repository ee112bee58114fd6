import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { observability } from '../../shared/powertools';
import { apiGatewayEvent, lambdaContext, type ApiRequest } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { DynamoDbMinuteAggregateReader } from '../adapters/dynamodb-minute-aggregates';
import type { MinuteAggregateReader } from '../domain/minute-aggregate-reader';
import { estimateDistinctSessions } from '../domain/minute-aggregates';
import { productItem, totalsItem, writeItems } from '../testing/minute-aggregate-items';
import {
  createRealtimeAnalyticsApi,
  type RealtimeAnalyticsApiDependencies,
} from './realtime-analytics-routes';

const STAFF = { sub: 'staff-sub', 'cognito:groups': 'admin' };
const SHOPPER = { sub: 'shopper-sub' };
const ORIGIN = 'https://shop.example.com';

/** The clock of most tests: 20:34 is the current, incomplete minute. */
const NOW = new Date('2026-11-25T20:34:27.500Z');
const minute = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00.000Z`);

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable'>>>;

function apiWith(overrides: Partial<RealtimeAnalyticsApiDependencies> = {}) {
  return createRealtimeAnalyticsApi({
    ...observability(),
    allowedOrigin: ORIGIN,
    reader: new DynamoDbMinuteAggregateReader({
      documents: tables.documents,
      tableName: tables.names.AnalyticsTable,
    }),
    clock: () => NOW,
    ...overrides,
  });
}

async function call(request: Partial<ApiRequest> = {}, handler = apiWith()) {
  const result = (await handler(
    apiGatewayEvent({ resource: '/analytics/realtime', method: 'GET', claims: STAFF, ...request }),
    lambdaContext('realtime-analytics'),
  )) as APIGatewayProxyResult;
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body) };
}

const lastFiveMinutes = () => call({ query: { minutes: '5' } });

beforeAll(async () => {
  tables = await createLocalTables('AnalyticsTable');
  await writeItems(tables.documents, tables.names.AnalyticsTable, [
    // Before the window of the last 5 minutes (20:30 to 20:34).
    totalsItem(
      minute('20:29'),
      { pageViews: 1000, productViews: 1000, addToCarts: 1000, checkouts: 1000, purchases: 1000, revenue: 1 },
      100,
    ),
    productItem(minute('20:29'), 'old-stock', { purchases: 99 }),

    totalsItem(
      minute('20:30'),
      {
        pageViews: 40,
        productViews: 24,
        searches: 3,
        addToCarts: 8,
        removeFromCarts: 1,
        checkouts: 4,
        purchases: 3,
        revenue: 8997,
      },
      30,
    ),
    productItem(minute('20:30'), 'tent', { views: 2, addToCarts: 1, purchases: 2 }),
    productItem(minute('20:30'), 'knife', { views: 8, addToCarts: 3, purchases: 1 }),
    productItem(minute('20:30'), 'skillet', { views: 5, addToCarts: 2, purchases: 1 }),
    productItem(minute('20:30'), 'lamp', { views: 10 }),

    // 20:31: nothing.

    // Checkouts, purchases and revenue not written yet this minute.
    totalsItem(minute('20:32'), { pageViews: 22, productViews: 18, addToCarts: 6 }, 3000),
    productItem(minute('20:32'), 'mug', { views: 1, addToCarts: 6 }),
    productItem(minute('20:32'), 'skillet', { views: 4, addToCarts: 3 }),
    productItem(minute('20:32'), 'lamp', { views: 20, addToCarts: 0, purchases: 0 }),

    // 20:33: nothing.

    // 20:34, the current minute, so far: no session bucket written yet.
    totalsItem(minute('20:34'), {
      pageViews: 9,
      productViews: 7,
      addToCarts: 2,
      checkouts: 3,
      purchases: 2,
      revenue: 5000,
    }),
    productItem(minute('20:34'), 'tent', { purchases: 1 }),
    productItem(minute('20:34'), 'knife', { views: 4, addToCarts: 2, purchases: 1 }),
    productItem(minute('20:34'), 'mug', { purchases: 2 }),
    productItem(minute('20:34'), 'skillet', { purchases: 1 }),

    // After now (a clock a little ahead on the writer's side).
    totalsItem(minute('20:35'), { pageViews: 777, purchases: 50 }),
    productItem(minute('20:35'), 'future', { purchases: 50 }),
  ]);
});

afterAll(() => tables.deleteAll());

describe('GET /analytics/realtime', () => {
  it('answers shop staff with one entry per minute, oldest first, up to the current incomplete minute', async () => {
    const response = await lastFiveMinutes();
    expect(response.status).toBe(200);
    expect(response.body.series.map((entry: { minute: string }) => entry.minute)).toEqual([
      '2026-11-25T20:30',
      '2026-11-25T20:31',
      '2026-11-25T20:32',
      '2026-11-25T20:33',
      '2026-11-25T20:34',
    ]);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': ORIGIN,
      'x-request-id': expect.any(String),
    });
  });

  it("reports each minute's counters as stored, 0 for those not written, and zeros for minutes with none", async () => {
    const zeros = {
      pageViews: 0,
      productViews: 0,
      addToCarts: 0,
      checkouts: 0,
      purchases: 0,
      revenue: 0,
      sessions: 0,
    };
    const { body } = await lastFiveMinutes();
    expect(body.series).toEqual([
      {
        minute: '2026-11-25T20:30',
        pageViews: 40,
        productViews: 24,
        addToCarts: 8,
        checkouts: 4,
        purchases: 3,
        revenue: 8997,
        sessions: estimateDistinctSessions(30),
      },
      { minute: '2026-11-25T20:31', ...zeros },
      {
        minute: '2026-11-25T20:32',
        ...zeros,
        pageViews: 22,
        productViews: 18,
        addToCarts: 6,
        sessions: estimateDistinctSessions(3000),
      },
      { minute: '2026-11-25T20:33', ...zeros },
      {
        minute: '2026-11-25T20:34',
        ...zeros,
        pageViews: 9,
        productViews: 7,
        addToCarts: 2,
        checkouts: 3,
        purchases: 2,
        revenue: 5000,
      },
    ]);
  });

  it('estimates sessions from the number of session buckets, above the raw count once buckets are shared', async () => {
    const { body } = await lastFiveMinutes();
    expect(body.series[0].sessions).toBe(30);
    expect(body.series[2].sessions).toBe(estimateDistinctSessions(3000));
    expect(body.series[2].sessions).toBeGreaterThan(3000);
  });

  it('ranks the products summed over the window by purchases, then add-to-carts, then views', async () => {
    const { body } = await lastFiveMinutes();
    expect(body.topProducts).toEqual([
      { productId: 'tent', views: 2, addToCarts: 1, purchases: 3 },
      // mug, knife and skillet: 2 purchases each; mug has the most add-to-carts...
      { productId: 'mug', views: 1, addToCarts: 6, purchases: 2 },
      // ...knife and skillet 5 each, and knife the more views.
      { productId: 'knife', views: 12, addToCarts: 5, purchases: 2 },
      { productId: 'skillet', views: 9, addToCarts: 5, purchases: 2 },
      { productId: 'lamp', views: 30, addToCarts: 0, purchases: 0 },
    ]);
  });

  it('sums the funnel over the window, with each conversion rate as a fraction', async () => {
    const { body } = await lastFiveMinutes();
    expect(body.funnel).toEqual({
      productViews: 49,
      addToCarts: 16,
      checkouts: 7,
      purchases: 5,
      rates: {
        viewToCart: 16 / 49,
        cartToCheckout: 7 / 16,
        checkoutToPurchase: 5 / 7,
        viewToPurchase: 5 / 49,
      },
    });
  });

  it('leaves out the minutes before the window and those after now', async () => {
    const { body } = await lastFiveMinutes();
    const productIds = body.topProducts.map((product: { productId: string }) => product.productId);
    expect(productIds).not.toContain('old-stock');
    expect(productIds).not.toContain('future');
    expect(body.series.every((entry: { pageViews: number }) => entry.pageViews < 777)).toBe(true);
  });

  it('reads the last 60 minutes when no window is asked for', async () => {
    const { status, body } = await call();
    expect(status).toBe(200);
    expect(body.series).toHaveLength(60);
    expect(body.series[0].minute).toBe('2026-11-25T19:35');
    expect(body.series[59].minute).toBe('2026-11-25T20:34');
    expect(body.funnel.productViews).toBe(1000 + 49);
  });

  it('reads a window of 1 minute and one of 180', async () => {
    const one = await call({ query: { minutes: '1' } });
    const most = await call({ query: { minutes: '180' } });
    expect(one.body.series).toEqual([expect.objectContaining({ minute: '2026-11-25T20:34', pageViews: 9 })]);
    expect(most.body.series).toHaveLength(180);
  });

  it('answers a window with no aggregates with zeros, no products and rates of 0', async () => {
    const { status, body } = await call(
      { query: { minutes: '3' } },
      apiWith({ clock: () => new Date('2026-01-01T08:00:10Z') }),
    );
    expect(status).toBe(200);
    expect(
      body.series.map((entry: { pageViews: number; sessions: number }) => entry.pageViews + entry.sessions),
    ).toEqual([0, 0, 0]);
    expect(body.topProducts).toEqual([]);
    expect(body.funnel).toEqual({
      productViews: 0,
      addToCarts: 0,
      checkouts: 0,
      purchases: 0,
      rates: { viewToCart: 0, cartToCheckout: 0, checkoutToPurchase: 0, viewToPurchase: 0 },
    });
  });

  it('reads every page of a minute with more products than one page of its partition holds', async () => {
    const busy = new Date('2026-11-26T09:15:00.000Z');
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      ...Array.from({ length: 60 }, (_, i) =>
        productItem(busy, `p-${String(i).padStart(2, '0')}`, { views: 1 }),
      ),
      // Last in sort-key order, on the last page: only counted if every page is read.
      productItem(busy, 'zz-bestseller', { views: 3, addToCarts: 2, purchases: 5 }),
      totalsItem(busy, {
        pageViews: 70,
        productViews: 63,
        addToCarts: 2,
        checkouts: 1,
        purchases: 5,
        revenue: 12_345,
      }),
    ]);
    const send = jest.spyOn(tables.documents, 'send');
    try {
      const { status, body } = await call(
        { query: { minutes: '1' } },
        apiWith({
          clock: () => new Date('2026-11-26T09:15:42Z'),
          reader: new DynamoDbMinuteAggregateReader({
            documents: tables.documents,
            tableName: tables.names.AnalyticsTable,
            pageSize: 25,
          }),
        }),
      );
      expect(status).toBe(200);
      expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand)).toHaveLength(3);
      expect(body.topProducts).toHaveLength(10);
      expect(body.topProducts[0]).toEqual({
        productId: 'zz-bestseller',
        views: 3,
        addToCarts: 2,
        purchases: 5,
      });
      expect(body.topProducts.slice(1).map((product: { productId: string }) => product.productId)).toEqual(
        Array.from({ length: 9 }, (_, i) => `p-0${i}`),
      );
      expect(body.series[0]).toMatchObject({ pageViews: 70, purchases: 5, revenue: 12_345 });
    } finally {
      send.mockRestore();
    }
  });

  it('tells browsers, proxies and CDNs never to store an answer, success or error', async () => {
    const ok = await lastFiveMinutes();
    const forbidden = await call({ claims: SHOPPER });
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(forbidden.headers['cache-control']).toBe('no-store');
  });

  describe('is for shop staff only', () => {
    it('answers a signed-in shopper with 403', async () => {
      const response = await call({ claims: SHOPPER });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        message: expect.stringContaining('admin'),
        requestId: expect.any(String),
      });
    });

    it('answers a member of another group with 403', async () => {
      const response = await call({
        claims: { sub: 'editor-sub', 'cognito:groups': '[editors administrators]' },
      });
      expect(response.status).toBe(403);
    });

    it('answers an anonymous caller with 401', async () => {
      const response = await call({ claims: undefined });
      expect(response.status).toBe(401);
      expect(response.body.message).toEqual(expect.any(String));
    });

    it('answers a shopper with 403 before looking at the query', async () => {
      const response = await call({ claims: SHOPPER, query: { minutes: '0' } });
      expect(response.status).toBe(403);
    });
  });

  it.each([
    [{ minutes: '0' }, 'minutes'],
    [{ minutes: '181' }, 'minutes'],
    [{ minutes: 'abc' }, 'minutes'],
    [{ minutes: '1.5' }, 'minutes'],
    [{ minutes: '-5' }, 'minutes'],
    [{ minutes: '' }, 'minutes'],
    [{ window: '60' }, '(body)'],
  ])('rejects the query %j with 400, saying where', async (query, path) => {
    const response = await call({ query });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      message: 'Invalid query',
      errors: [{ path, message: expect.any(String) }],
      requestId: expect.any(String),
    });
  });

  it('names the unknown parameter in its 400', async () => {
    const response = await call({ query: { minutes: '5', since: '2026-11-25' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toContain('since');
  });

  it('answers another route with 404', async () => {
    const response = await call({ resource: '/analytics/history' });
    expect(response.status).toBe(404);
  });

  it('answers a failure of its own with a 500 that reveals nothing', async () => {
    const failing: MinuteAggregateReader = {
      readMinutes: () => Promise.reject(new Error('ResourceNotFoundException: table secret-analytics')),
    };
    const response = await call({}, apiWith({ reader: failing }));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toMatch(/ResourceNotFound|secret/);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
