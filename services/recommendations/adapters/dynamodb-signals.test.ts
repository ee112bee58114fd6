import { DynamoDbMinuteAggregateReader } from '../../analytics/adapters/dynamodb-minute-aggregates';
import { productItem, writeItems } from '../../analytics/testing/minute-aggregate-items';
import { DynamoDbOrderStore } from '../../orders/adapters/dynamodb-order-store';
import { createLocalTables } from '../../testing/local-tables';
import { coPurchaseItem, orderItem, userActivityItem } from '../testing/signal-items';
import { DynamoDbRealtimeSignals } from './dynamodb-signals';

const NOW = new Date('2026-11-25T20:34:27.500Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const minute = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00.000Z`);
const signal = () => new AbortController().signal;

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable' | 'OrdersTable'>>>;

function signalsWith(now = () => NOW) {
  return new DynamoDbRealtimeSignals({
    documents: tables.documents,
    analyticsTableName: tables.names.AnalyticsTable,
    minutes: new DynamoDbMinuteAggregateReader({
      documents: tables.documents,
      tableName: tables.names.AnalyticsTable,
    }),
    orders: new DynamoDbOrderStore({ documents: tables.documents, tableName: tables.names.OrdersTable }),
    now,
  });
}

beforeAll(async () => {
  tables = await createLocalTables('AnalyticsTable', 'OrdersTable');
  await writeItems(tables.documents, tables.names.AnalyticsTable, [
    // 19:34 is just outside the last hour (19:35 to 20:34).
    productItem(minute('19:34'), 'kit-0001', { purchases: 100 }),
    productItem(minute('19:35'), 'kit-0001', { views: 2 }),
    productItem(minute('20:30'), 'kit-0001', { views: 1, purchases: 1 }),
    productItem(minute('20:34'), 'out-0002', { views: 3, addToCarts: 1 }),

    coPurchaseItem('kit-0001', 'kit-0002', 4),
    coPurchaseItem('kit-0001', 'out-0001', 9),
    coPurchaseItem('kit-0002', 'kit-0001', 4),

    userActivityItem('user-1', 'kit-0003', NOW_SECONDS - 60, { eventTypes: ['product_view', 'add_to_cart'] }),
    userActivityItem('user-1', 'out-0004', NOW_SECONDS - 3600),
    userActivityItem('user-1', 'toy-0001', NOW_SECONDS - 9 * 24 * 3600, { expiresAt: NOW_SECONDS - 100 }),
    userActivityItem('user-2', 'toy-0002', NOW_SECONDS),
  ]);
  const orders = new DynamoDbOrderStore({ documents: tables.documents, tableName: tables.names.OrdersTable });
  await orders.create(orderItem('user-1', ['kit-0001', 'out-0001'], new Date('2026-11-01T10:00:00Z')));
  await orders.create(orderItem('user-1', ['kit-0001'], new Date('2026-11-20T10:00:00Z')));
  await orders.create(orderItem('user-2', ['toy-0003'], new Date('2026-11-20T10:00:00Z')));
});

afterAll(() => tables.deleteAll());

describe('DynamoDbRealtimeSignals', () => {
  it("weighs every product's views, add-to-carts and purchases of the last hour", async () => {
    const popularity = await signalsWith().popularity();

    expect(popularity).toEqual(
      new Map([
        ['kit-0001', 2 + 1 + 5],
        ['out-0002', 3 + 3],
      ]),
    );
  });

  it('reuses the popularity it read for 30 seconds, then reads the minutes again', async () => {
    let now = NOW;
    const signals = signalsWith(() => now);
    await signals.popularity();
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      productItem(minute('20:34'), 'toy-0005', { views: 1 }),
    ]);

    now = new Date(NOW.getTime() + 29_000);
    expect((await signals.popularity()).has('toy-0005')).toBe(false);
    now = new Date(NOW.getTime() + 30_000);
    expect((await signals.popularity()).get('toy-0005')).toBe(1);
  });

  it('reads the co-purchase counts of a product', async () => {
    await expect(signalsWith().coPurchases('kit-0001', signal())).resolves.toEqual(
      new Map([
        ['kit-0002', 4],
        ['out-0001', 9],
      ]),
    );
    await expect(signalsWith().coPurchases('never-ordered', signal())).resolves.toEqual(new Map());
  });

  it("reads a shopper's recent products, leaving out those expired but not yet deleted by TTL", async () => {
    const activity = await signalsWith().recentActivity('user-1', signal());

    expect(activity).toEqual([
      { productId: 'kit-0003', at: NOW_SECONDS - 60 },
      { productId: 'out-0004', at: NOW_SECONDS - 3600 },
    ]);
  });

  it('reads what a shopper bought from their orders, each product with when it was last ordered', async () => {
    const history = await signalsWith().purchaseHistory('user-1');

    expect(history.purchased).toEqual(new Set(['kit-0001', 'out-0001']));
    expect(history.recent).toEqual(
      expect.arrayContaining([
        { productId: 'kit-0001', at: Date.parse('2026-11-20T10:00:00Z') / 1000 },
        { productId: 'out-0001', at: Date.parse('2026-11-01T10:00:00Z') / 1000 },
      ]),
    );
    await expect(signalsWith().purchaseHistory('nobody')).resolves.toEqual({
      purchased: new Set(),
      recent: [],
    });
  });

  it('gives up a read when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(signalsWith().coPurchases('kit-0001', controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
