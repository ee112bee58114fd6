import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** An order item as the orders service writes it to OrdersTable (services/orders/domain/order.ts). */
export function storedOrder(
  orderId: string,
  productIds: readonly string[],
  overrides: Record<string, unknown> = {},
) {
  const items = productIds.map((productId) => ({
    productId,
    name: `Product ${productId}`,
    quantity: 1,
    unitPrice: 1_000,
    lineTotal: 1_000,
  }));
  return {
    orderId,
    customerId: 'customer-ada',
    status: 'PLACED',
    createdAt: '2026-11-25T09:00:00.000Z',
    total: items.length * 1_000,
    currency: 'USD',
    items,
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
  };
}

/**
 * Every record of a DynamoDB Local table's stream so far, as Lambda delivers them: JSON (binary
 * attributes as base64, creation times in epoch seconds), with the stream's ARN.
 */
export async function tableStreamRecords(
  client: DynamoDBClient,
  tableName: string,
): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({
    endpoint: process.env.DYNAMODB_LOCAL_ENDPOINT,
    region: 'us-east-1',
  });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`the table ${tableName} has no stream`);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        if (!page.Records?.length) break;
        records.push(...page.Records.map((record) => asLambdaDelivers(record, streamArn)));
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}

export function streamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}

function asLambdaDelivers(record: StreamApiRecord, eventSourceARN: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...streamRecord } = record.dynamodb ?? {};
  const delivered = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...streamRecord,
      ApproximateCreationDateTime:
        ApproximateCreationDateTime && ApproximateCreationDateTime.getTime() / 1000,
    },
    eventSourceARN,
  };
  return JSON.parse(
    JSON.stringify(delivered, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    ),
  );
}
