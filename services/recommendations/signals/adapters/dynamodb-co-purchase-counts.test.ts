import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalTables } from '../../../testing/local-tables';
import { coPurchasesOf, countedMarkerKey } from '../domain/co-purchases';
import { expectedCoPurchaseCounts, storedCoPurchaseCounts } from '../testing/co-purchase-items';
import { DynamoDbCoPurchaseCounts } from './dynamodb-co-purchase-counts';

describe('co-purchase counts in DynamoDB', () => {
  let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable'>>>;
  let counts: DynamoDbCoPurchaseCounts;
  const countedAt = new Date('2026-11-25T10:00:00.000Z');

  beforeEach(async () => {
    tables = await createLocalTables('AnalyticsTable');
    counts = new DynamoDbCoPurchaseCounts({
      documents: tables.documents,
      tableName: tables.names.AnalyticsTable,
    });
  });

  afterEach(async () => {
    await tables.deleteAll();
  });

  const stored = () => storedCoPurchaseCounts(tables.documents, tables.names.AnalyticsTable);

  it('raises the count of each pair of an order by one and marks the order counted', async () => {
    await counts.add(coPurchasesOf({ orderId: 'o-1', productIds: ['mug', 'kettle'] }), countedAt);
    await counts.add(coPurchasesOf({ orderId: 'o-2', productIds: ['mug', 'kettle', 'tea'] }), countedAt);

    expect(await stored()).toEqual(
      expectedCoPurchaseCounts([
        ['mug', 'kettle'],
        ['mug', 'kettle', 'tea'],
      ]),
    );
    const { Item: marker } = await tables.documents.send(
      new GetCommand({ TableName: tables.names.AnalyticsTable, Key: countedMarkerKey('o-2') }),
    );
    const countedAtSeconds = countedAt.getTime() / 1000;
    expect(marker).toMatchObject({ orderId: 'o-2', pairs: 6, countedAt: countedAtSeconds });
    expect(marker?.expiresAt).toBe(countedAtSeconds + 7 * 24 * 3600);
  });

  it('adds nothing for an order it has counted before, and says so', async () => {
    const order = coPurchasesOf({ orderId: 'o-1', productIds: ['mug', 'kettle', 'tea'] });

    expect(await counts.add(order, countedAt)).toBe('counted');
    expect(await counts.add(order, new Date(countedAt.getTime() + 3_600_000))).toBe('already-counted');

    expect(await stored()).toEqual(expectedCoPurchaseCounts([['mug', 'kettle', 'tea']]));
  });

  it('counts a 10-product order in one transaction of 91 items', async () => {
    const productIds = Array.from({ length: 12 }, (_, index) => `p-${index}`);
    const sent = jest.spyOn(tables.documents, 'send');

    await counts.add(coPurchasesOf({ orderId: 'o-big', productIds }), countedAt);

    expect(sent).toHaveBeenCalledTimes(1);
    expect(Object.keys(await stored())).toHaveLength(90);
  });

  it('counts each order once when the same orders are written by several writers at once', async () => {
    const orders = Array.from({ length: 12 }, (_, index) => ({
      orderId: `o-${index}`,
      productIds: ['mug', 'kettle', index % 2 === 0 ? 'tea' : 'cocoa'],
    }));
    const writers = Array.from(
      { length: 3 },
      () =>
        new DynamoDbCoPurchaseCounts({
          documents: tables.documents,
          tableName: tables.names.AnalyticsTable,
          maxAttempts: 20,
        }),
    );

    const outcomes = await Promise.all(
      writers.flatMap((writer) => orders.map((order) => writer.add(coPurchasesOf(order), countedAt))),
    );

    expect(outcomes.filter((outcome) => outcome === 'counted')).toHaveLength(orders.length);
    expect(await stored()).toEqual(expectedCoPurchaseCounts(orders.map((order) => order.productIds)));
  });

  it('rejects when the table cannot be written, leaving nothing half counted', async () => {
    const unavailable = new DynamoDbCoPurchaseCounts({
      documents: tables.documents,
      tableName: 'no-such-table',
    });

    await expect(
      unavailable.add(coPurchasesOf({ orderId: 'o-1', productIds: ['mug', 'kettle'] }), countedAt),
    ).rejects.toThrow();
    expect(await stored()).toEqual({});
  });

  it('sends a transaction again when it met another one on a counter, and gives up after its attempts', async () => {
    const conflict = () =>
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
      });
    const send = jest.fn().mockRejectedValueOnce(conflict()).mockResolvedValueOnce({});
    const flaky = new DynamoDbCoPurchaseCounts({
      documents: { send } as unknown as DynamoDBDocumentClient,
      tableName: 'analytics',
      baseDelayMs: 1,
    });
    const order = coPurchasesOf({ orderId: 'o-1', productIds: ['mug', 'kettle'] });

    expect(await flaky.add(order, countedAt)).toBe('counted');
    expect(send).toHaveBeenCalledTimes(2);

    send.mockReset().mockRejectedValue(conflict());
    await expect(flaky.add(order, countedAt)).rejects.toThrow(TransactionCanceledException);
    expect(send).toHaveBeenCalledTimes(5);
  });
});
