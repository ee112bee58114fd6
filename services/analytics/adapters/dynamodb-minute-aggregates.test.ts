import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalTables } from '../../testing/local-tables';
import { minutePartitionKey } from '../domain/minute-aggregates';
import { minutesEndingAt } from '../domain/minute-window';
import { productItem, totalsItem, writeItems } from '../testing/minute-aggregate-items';
import { DynamoDbMinuteAggregateReader } from './dynamodb-minute-aggregates';

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable'>>>;
let reader: DynamoDbMinuteAggregateReader;

const at = (minute: string) => new Date(`${minute}:00.000Z`);

beforeAll(async () => {
  tables = await createLocalTables('AnalyticsTable');
  reader = new DynamoDbMinuteAggregateReader({
    documents: tables.documents,
    tableName: tables.names.AnalyticsTable,
  });
});

afterAll(() => tables.deleteAll());

describe('DynamoDbMinuteAggregateReader', () => {
  it('answers one entry per minute asked for, in that order, empty for a minute with nothing stored', async () => {
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      totalsItem(at('2026-03-01T10:00'), { pageViews: 1 }),
      totalsItem(at('2026-03-01T10:02'), { pageViews: 3 }),
    ]);
    const read = await reader.readMinutes(['2026-03-01T10:02', '2026-03-01T10:01', '2026-03-01T10:00']);
    expect(read.map((minute) => [minute.minute, minute.totals?.pageViews])).toEqual([
      ['2026-03-01T10:02', 3],
      ['2026-03-01T10:01', undefined],
      ['2026-03-01T10:00', 1],
    ]);
    expect(read[1]).toEqual({ minute: '2026-03-01T10:01', products: [] });
  });

  it('reads a TOTALS item with its counters, 0 for those not written yet, and its string set as a Set', async () => {
    const minute = at('2026-03-01T11:00');
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      totalsItem(minute, { pageViews: 12, purchases: 2, revenue: 4998 }, 7),
    ]);
    const [read] = await reader.readMinutes(['2026-03-01T11:00']);
    expect(read?.totals).toEqual({
      pageViews: 12,
      productViews: 0,
      searches: 0,
      addToCarts: 0,
      removeFromCarts: 0,
      checkouts: 0,
      purchases: 2,
      revenue: 4998,
      sessionBuckets: new Set(['0', '1', '2', '3', '4', '5', '6']),
    });
  });

  it('reads a TOTALS item without session buckets as an empty set, since DynamoDB stores no empty set', async () => {
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      totalsItem(at('2026-03-01T11:30'), { pageViews: 1 }),
    ]);
    const [read] = await reader.readMinutes(['2026-03-01T11:30']);
    expect(read?.totals?.sessionBuckets).toEqual(new Set());
  });

  it('reads PRODUCT# items as products, their id from the sort key and absent counters as 0', async () => {
    const minute = at('2026-03-01T12:00');
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      productItem(minute, 'kit-0001', { views: 5, addToCarts: 1 }),
      productItem(minute, 'out#0002', { purchases: 1 }),
    ]);
    const [read] = await reader.readMinutes(['2026-03-01T12:00']);
    expect(read?.products).toEqual([
      { productId: 'kit-0001', views: 5, addToCarts: 1, purchases: 0 },
      { productId: 'out#0002', views: 0, addToCarts: 0, purchases: 1 },
    ]);
    expect(read?.totals).toBeUndefined();
  });

  it("ignores items of any other kind in a minute's partition", async () => {
    const minute = at('2026-03-01T13:00');
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      productItem(minute, 'kit-0001', { views: 1 }),
    ]);
    await tables.documents.send(
      new PutCommand({
        TableName: tables.names.AnalyticsTable,
        Item: { pk: minutePartitionKey(minute), sk: 'REFERRER#search-engine', views: 40 },
      }),
    );
    const [read] = await reader.readMinutes(['2026-03-01T13:00']);
    expect(read?.products.map((product) => product.productId)).toEqual(['kit-0001']);
  });

  it('reads every page of a partition with more items than one page holds', async () => {
    const minute = at('2026-03-01T14:00');
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      ...Array.from({ length: 30 }, (_, i) =>
        productItem(minute, `p-${String(i).padStart(2, '0')}`, { views: i }),
      ),
      totalsItem(minute, { productViews: 435 }),
    ]);
    const paged = new DynamoDbMinuteAggregateReader({
      documents: tables.documents,
      tableName: tables.names.AnalyticsTable,
      pageSize: 7,
    });
    const send = jest.spyOn(tables.documents, 'send');
    try {
      const [read] = await paged.readMinutes(['2026-03-01T14:00']);
      expect(read?.products).toHaveLength(30);
      expect(read?.totals?.productViews).toBe(435);
      expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand).length).toBe(5);
    } finally {
      send.mockRestore();
    }
  });

  it('queries at most `concurrency` minutes at the same time, and every minute once', async () => {
    const window = minutesEndingAt(new Date('2026-03-02T00:00:00Z'), 45);
    const limited = new DynamoDbMinuteAggregateReader({
      documents: tables.documents,
      tableName: tables.names.AnalyticsTable,
      concurrency: 4,
    });
    const send = tables.documents.send.bind(tables.documents);
    let inFlight = 0;
    let mostInFlight = 0;
    const queried: unknown[] = [];
    const spy = jest.spyOn(tables.documents, 'send').mockImplementation((async (command: QueryCommand) => {
      queried.push(command.input.ExpressionAttributeValues?.[':pk']);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await send(command);
      } finally {
        inFlight--;
      }
    }) as never);
    try {
      const read = await limited.readMinutes(window);
      expect(read).toHaveLength(45);
      expect(mostInFlight).toBe(4);
      expect(new Set(queried)).toEqual(new Set(window.map((minute) => minutePartitionKey(at(minute)))));
      expect(queried).toHaveLength(45);
    } finally {
      spy.mockRestore();
    }
  });
});
