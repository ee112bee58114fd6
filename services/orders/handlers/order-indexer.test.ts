import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { EmbeddedSearchIndex } from '../../search/embedded-search-index';
import { SearchUnavailableError, type OrderDocument } from '../../search/search-index';
import { observability } from '../../shared/powertools';
import { createLocalTables } from '../../testing/local-tables';
import { tableStreamRecords } from '../../testing/table-stream';
import { createOrderIndexer } from './order-indexer';

/** An order item as the orders service writes it to OrdersTable. */
const storedOrder = (orderId: string, overrides: Record<string, unknown> = {}) => ({
  orderId,
  customerId: 'customer-ada',
  status: 'PLACED',
  createdAt: '2024-03-01T09:00:00.000Z',
  total: 8_600,
  currency: 'USD',
  items: [{ productId: 'p-mug', name: 'Ceramic mug', quantity: 2, unitPrice: 4_300, lineTotal: 8_600 }],
  shippingAddress: {
    name: 'Ada',
    line1: '1 Main St',
    city: 'Springfield',
    postalCode: '12345',
    country: 'US',
  },
  idempotencyKey: `key-${orderId}`,
  requestHash: 'c0ffee',
  ...overrides,
});

/** The same order as the search index must hold it: the indexed fields only. */
const indexedOrder = (orderId: string): OrderDocument => ({
  orderId,
  customerId: 'customer-ada',
  status: 'PLACED',
  createdAt: '2024-03-01T09:00:00.000Z',
  total: 8_600,
  currency: 'USD',
  items: [{ productId: 'p-mug', name: 'Ceramic mug', quantity: 2 }],
});

const lambdaContext = {
  functionName: 'order-indexer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:order-indexer',
  memoryLimitInMB: '256',
  awsRequestId: 'test-invocation',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

describe('order indexer', () => {
  let tables: Awaited<ReturnType<typeof createLocalTables<'OrdersTable'>>>;
  let index: EmbeddedSearchIndex;
  let tools: ReturnType<typeof observability>;
  let indexer: ReturnType<typeof createOrderIndexer>;

  beforeEach(async () => {
    tables = await createLocalTables('OrdersTable');
    index = new EmbeddedSearchIndex();
    tools = observability();
    jest.spyOn(tools.metrics, 'addMetric');
    jest.spyOn(tools.logger, 'error');
    indexer = createOrderIndexer(index, tools);
  });

  afterEach(async () => {
    await tables.deleteAll();
  });

  const put = async (...orders: Record<string, unknown>[]) => {
    for (const order of orders) {
      await tables.documents.send(new PutCommand({ TableName: tables.names.OrdersTable, Item: order }));
    }
  };

  /** Every record of the table's stream so far, as Lambda would deliver them in one batch. */
  const streamEvent = async (): Promise<DynamoDBStreamEvent> => ({
    Records: await tableStreamRecords(tables.client, tables.names.OrdersTable),
  });

  const searchAll = async () => (await index.searchOrders({ customerId: undefined, limit: 100 })).orders;
  const orderIds = (orders: readonly OrderDocument[]) => orders.map((order) => order.orderId).sort();

  it('indexes the valid orders of a batch in one call and reports only the poison record', async () => {
    await put(
      storedOrder('o-1'),
      storedOrder('o-2'),
      storedOrder('o-3', { total: '86.00' }),
      storedOrder('o-4'),
    );
    const event = await streamEvent();
    const indexOrders = jest.spyOn(index, 'indexOrders');

    const response = await indexer(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumberOf(event, 'o-3') }] });
    expect(indexOrders).toHaveBeenCalledTimes(1);
    expect(await searchAll()).toEqual(expect.arrayContaining(['o-1', 'o-2', 'o-4'].map(indexedOrder)));
    expect(orderIds(await searchAll())).toEqual(['o-1', 'o-2', 'o-4']);
  });

  it('logs the poison record with its reason and counts it as quarantined', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2', { total: '86.00' }));

    await indexer(await streamEvent(), lambdaContext);

    expect(tools.logger.error).toHaveBeenCalledTimes(1);
    expect(tools.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('quarantined'),
      expect.objectContaining({ reason: expect.stringContaining('total'), keys: { orderId: { S: 'o-2' } } }),
    );
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('OrdersQuarantined', MetricUnit.Count, 1);
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('OrdersIndexed', MetricUnit.Count, 1);
  });

  it('removes an order deleted from the table from the index', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2'));
    await tables.documents.send(
      new DeleteCommand({ TableName: tables.names.OrdersTable, Key: { orderId: 'o-1' } }),
    );
    const [insertOne, insertTwo, removeOne] = (await streamEvent()).Records;

    await indexer({ Records: [insertOne!, insertTwo!] }, lambdaContext);
    expect(orderIds(await searchAll())).toEqual(['o-1', 'o-2']);
    const response = await indexer({ Records: [removeOne!] }, lambdaContext);

    expect(removeOne!.eventName).toBe('REMOVE');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(orderIds(await searchAll())).toEqual(['o-2']);
  });

  it('applies the latest change of each order when a batch holds several', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2'));
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

    const response = await indexer(await streamEvent(), lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await searchAll()).toEqual([{ ...indexedOrder('o-1'), status: 'SHIPPED' }]);
  });

  it('leaves exactly one document per order when the same batch is delivered again', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2'), storedOrder('o-1', { status: 'SHIPPED' }));
    const event = await streamEvent();

    await indexer(event, lambdaContext);
    await indexer(event, lambdaContext);

    const orders = await searchAll();
    expect(orderIds(orders)).toEqual(['o-1', 'o-2']);
    expect(orders.find((order) => order.orderId === 'o-1')?.status).toBe('SHIPPED');
  });

  it('reports every record of the batch when search is unavailable', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2'));
    await tables.documents.send(
      new DeleteCommand({ TableName: tables.names.OrdersTable, Key: { orderId: 'o-1' } }),
    );
    const event = await streamEvent();
    jest
      .spyOn(index, 'indexOrders')
      .mockRejectedValue(new SearchUnavailableError('OpenSearch could not write: connect ECONNREFUSED'));

    const response = await indexer(event, lambdaContext);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      event.Records.map((record) => record.dynamodb!.SequenceNumber),
    );
    expect(tools.metrics.addMetric).not.toHaveBeenCalledWith(
      'OrdersQuarantined',
      expect.anything(),
      expect.anything(),
    );
  });

  it('reports an order the index could not write for now, and quarantines one the index rejects', async () => {
    await put(storedOrder('o-1'), storedOrder('o-2'), storedOrder('o-3'));
    const event = await streamEvent();
    jest.spyOn(index, 'indexOrders').mockResolvedValue({
      failed: [
        { id: 'o-1', reason: 'es_rejected_execution_exception: queue full', retryable: true },
        {
          id: 'o-3',
          reason: 'strict_dynamic_mapping_exception: field [coupon] not allowed',
          retryable: false,
        },
      ],
    });

    const response = await indexer(event, lambdaContext);

    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: sequenceNumberOf(event, 'o-1') },
        { itemIdentifier: sequenceNumberOf(event, 'o-3') },
      ],
    });
    expect(tools.logger.error).toHaveBeenCalledTimes(1);
    expect(tools.logger.error).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ reason: expect.stringContaining('strict_dynamic_mapping_exception') }),
    );
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('OrdersQuarantined', MetricUnit.Count, 1);
    expect(tools.metrics.addMetric).toHaveBeenCalledWith('OrdersIndexed', MetricUnit.Count, 1);
  });
});

/** The sequence number of the (first) record of the order in the event. */
function sequenceNumberOf(event: DynamoDBStreamEvent, orderId: string): string {
  const record = event.Records.find((r) => r.dynamodb?.Keys?.orderId?.S === orderId);
  return record!.dynamodb!.SequenceNumber!;
}
