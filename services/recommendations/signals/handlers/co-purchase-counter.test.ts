import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { observability } from '../../../shared/powertools';
import { lambdaContext } from '../../../testing/api-gateway-event';
import { createLocalTables } from '../../../testing/local-tables';
import { DynamoDbCoPurchaseCounts } from '../adapters/dynamodb-co-purchase-counts';
import { expectedCoPurchaseCounts, storedCoPurchaseCounts } from '../testing/co-purchase-items';
import { tableStreamRecords } from '../../../testing/table-stream';
import { storedOrder, streamEvent } from '../testing/orders-stream';
import { createCoPurchaseCounter } from './co-purchase-counter';

describe('the co-purchase counter on the OrdersTable stream', () => {
  let tables: Awaited<ReturnType<typeof createLocalTables<'OrdersTable' | 'AnalyticsTable'>>>;
  let tools: ReturnType<typeof observability>;

  beforeEach(async () => {
    tables = await createLocalTables('OrdersTable', 'AnalyticsTable');
    tools = observability();
    jest.spyOn(tools.metrics, 'addMetric');
    jest.spyOn(tools.logger, 'error');
  });

  afterEach(async () => {
    await tables.deleteAll();
  });

  const counter = (tableName = tables.names.AnalyticsTable) =>
    createCoPurchaseCounter({
      counts: new DynamoDbCoPurchaseCounts({ documents: tables.documents, tableName }),
      tools,
    });
  const placeOrders = async (...orders: Record<string, unknown>[]) => {
    for (const order of orders) {
      await tables.documents.send(new PutCommand({ TableName: tables.names.OrdersTable, Item: order }));
    }
  };
  const records = () => tableStreamRecords(tables.client, tables.names.OrdersTable);
  const stored = () => storedCoPurchaseCounts(tables.documents, tables.names.AnalyticsTable);
  const reported = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
    response.batchItemFailures.map((failure) => failure.itemIdentifier);
  const sequenceNumberOf = (batch: readonly DynamoDBRecord[], orderId: string) =>
    batch.find((record) => record.dynamodb?.Keys?.orderId?.S === orderId)!.dynamodb!.SequenceNumber!;

  const baskets: Record<string, string[]> = {
    'o-1': ['kit-0001', 'kit-0004', 'tea-0002'],
    'o-2': ['kit-0001', 'kit-0004'],
    'o-3': ['gar-0007'],
    'o-4': ['kit-0004', 'tea-0002', 'gar-0007'],
  };

  it('counts every pair of products bought together in the new orders of a batch', async () => {
    await placeOrders(
      ...Object.entries(baskets).map(([orderId, products]) => storedOrder(orderId, products)),
    );

    const response = await counter()(streamEvent(await records()), lambdaContext('co-purchase-counter'));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stored()).toEqual(expectedCoPurchaseCounts(Object.values(baskets)));
    expect(await stored()).toMatchObject({
      'kit-0001+kit-0004': 2,
      'kit-0004+kit-0001': 2,
      'tea-0002+gar-0007': 1,
    });
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('CoPurchaseOrdersCounted', MetricUnit.Count, 3);
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('CoPurchasePairsCounted', MetricUnit.Count, 14);
  });

  it('leaves the counts unchanged when the same batch is delivered again', async () => {
    await placeOrders(
      ...Object.entries(baskets).map(([orderId, products]) => storedOrder(orderId, products)),
    );
    const batch = streamEvent(await records());
    const process = counter();

    await process(batch, lambdaContext());
    const once = await stored();
    const again = await process(batch, lambdaContext());

    expect(again).toEqual({ batchItemFailures: [] });
    expect(once).toEqual(expectedCoPurchaseCounts(Object.values(baskets)));
    expect(await stored()).toEqual(once);
    expect(tools.metrics.addMetric).toHaveBeenLastCalledWith('CoPurchaseRecordsRetried', MetricUnit.Count, 0);
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('CoPurchaseOrdersCounted', MetricUnit.Count, 0);
  });

  it('counts only the new orders when a retry starts in the middle of a batch and carries newer records', async () => {
    await placeOrders(storedOrder('o-1', baskets['o-1']!), storedOrder('o-2', baskets['o-2']!));
    const process = counter();
    await process(streamEvent(await records()), lambdaContext());
    await placeOrders(storedOrder('o-4', baskets['o-4']!));

    const retried = (await records()).slice(1);
    const response = await process(streamEvent(retried), lambdaContext());

    expect(retried).toHaveLength(2);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stored()).toEqual(
      expectedCoPurchaseCounts([baskets['o-1']!, baskets['o-2']!, baskets['o-4']!]),
    );
  });

  it('counts a batch once when several invocations process it at the same time', async () => {
    const orders = Array.from({ length: 20 }, (_, index) =>
      storedOrder(`o-${index}`, ['kit-0001', 'kit-0004', index % 2 === 0 ? 'tea-0002' : 'gar-0007']),
    );
    await placeOrders(...orders);
    const batch = streamEvent(await records());

    const responses = await Promise.all([1, 2, 3].map(() => counter()(batch, lambdaContext())));

    expect(responses).toEqual(Array(3).fill({ batchItemFailures: [] }));
    expect(await stored()).toEqual(
      expectedCoPurchaseCounts(orders.map((order) => order.items.map((i) => i.productId))),
    );
  });

  it('ignores orders that are updated or removed', async () => {
    await placeOrders(storedOrder('o-1', baskets['o-1']!), storedOrder('o-2', baskets['o-2']!));
    await tables.documents.send(
      new UpdateCommand({
        TableName: tables.names.OrdersTable,
        Key: { orderId: 'o-1' },
        UpdateExpression: 'SET #status = :shipped',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':shipped': 'SHIPPED' },
      }),
    );
    await tables.documents.send(
      new DeleteCommand({ TableName: tables.names.OrdersTable, Key: { orderId: 'o-2' } }),
    );
    const batch = await records();

    const response = await counter()(streamEvent(batch), lambdaContext());

    expect(batch.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'REMOVE']);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stored()).toEqual(expectedCoPurchaseCounts([baskets['o-1']!, baskets['o-2']!]));
  });

  it('reports a new order that is not readable, logs why, and counts the others', async () => {
    await placeOrders(
      storedOrder('o-1', baskets['o-1']!),
      { ...storedOrder('o-bad', ['kit-0001', 'kit-0004']), items: 'kit-0001,kit-0004' },
      storedOrder('o-2', baskets['o-2']!),
    );
    const batch = await records();

    const response = await counter()(streamEvent(batch), lambdaContext());

    expect(reported(response)).toEqual([sequenceNumberOf(batch, 'o-bad')]);
    expect(tools.logger.error).toHaveBeenCalledTimes(1);
    expect(tools.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('quarantined'),
      expect.objectContaining({
        reason: expect.stringMatching(/not a valid order[\s\S]*items/),
        keys: { orderId: { S: 'o-bad' } },
      }),
    );
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('CoPurchaseRecordsQuarantined', MetricUnit.Count, 1);
    expect(await stored()).toEqual(expectedCoPurchaseCounts([baskets['o-1']!, baskets['o-2']!]));
  });

  it('reports the new orders with pairs when the counts cannot be written, and nothing else', async () => {
    await placeOrders(storedOrder('o-1', baskets['o-1']!), storedOrder('o-3', baskets['o-3']!));
    await tables.documents.send(
      new DeleteCommand({ TableName: tables.names.OrdersTable, Key: { orderId: 'o-3' } }),
    );
    const batch = await records();

    const response = await counter('no-such-table')(streamEvent(batch), lambdaContext());

    expect(reported(response)).toEqual([sequenceNumberOf(batch, 'o-1')]);
    expect(tools.logger.error).not.toHaveBeenCalled();
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('CoPurchaseRecordsRetried', MetricUnit.Count, 1);
  });
});

describe('the co-purchase counter wired from its environment', () => {
  let tables: Awaited<ReturnType<typeof createLocalTables<'OrdersTable' | 'AnalyticsTable'>>>;
  const originalEnv = process.env;

  beforeAll(async () => {
    tables = await createLocalTables('OrdersTable', 'AnalyticsTable');
  });

  afterAll(async () => {
    await tables.deleteAll();
  });

  afterEach(() => {
    process.env = originalEnv;
  });

  it('writes the counts to the table ANALYTICS_TABLE_NAME names', async () => {
    await tables.documents.send(
      new PutCommand({
        TableName: tables.names.OrdersTable,
        Item: storedOrder('o-1', ['kit-0001', 'tea-0002']),
      }),
    );
    process.env = {
      ...originalEnv,
      AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_LOCAL_ENDPOINT,
      ANALYTICS_TABLE_NAME: tables.names.AnalyticsTable,
    };
    const batch = streamEvent(await tableStreamRecords(tables.client, tables.names.OrdersTable));

    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./co-purchase-counter');
      expect(await handler(batch, lambdaContext('co-purchase-counter'))).toEqual({ batchItemFailures: [] });
    });

    expect(await storedCoPurchaseCounts(tables.documents, tables.names.AnalyticsTable)).toEqual({
      'kit-0001+tea-0002': 1,
      'tea-0002+kit-0001': 1,
    });
  });

  it('fails its first invocation naming the missing variable', async () => {
    process.env = { ...originalEnv, ANALYTICS_TABLE_NAME: undefined };

    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./co-purchase-counter');
      await expect(handler(streamEvent([]), lambdaContext('co-purchase-counter'))).rejects.toThrow(
        /ANALYTICS_TABLE_NAME/,
      );
    });
  });
});
