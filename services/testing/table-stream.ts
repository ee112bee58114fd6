import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { dynamodbRecord } from '../../local/lambda/stream-events';

/**
 * Every record of a DynamoDB Local table's stream so far, as Lambda delivers them (the local
 * platform's own conversion: JSON, binary attributes in base64, creation times in epoch seconds).
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
    for (const { ShardId: shardId = '' } of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        if (!page.Records?.length) break;
        const source = { eventSourceArn: streamArn, awsRegion: 'us-east-1', shardId };
        records.push(...page.Records.map((record) => dynamodbRecord(record, source).event as DynamoDBRecord));
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}
