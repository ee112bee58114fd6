import { randomUUID } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
  type _Record as KinesisApiRecord,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { chunks } from '../../catalog/adapters/retry-unprocessed';

/** What a test writes to the stream: the data and its partition key (the session id). */
export interface TestRecord {
  readonly data: Buffer;
  readonly partitionKey: string;
}

/**
 * A one-shard Kinesis stream on kinesalite that a test writes records to with PutRecords and reads
 * back with GetRecords, in the shape Lambda delivers them to the processor.
 */
export class KinesisTestStream {
  private constructor(
    private readonly kinesis: KinesisClient,
    readonly streamName: string,
    private readonly streamArn: string,
    private readonly shardId: string,
  ) {}

  static async create(kinesis: KinesisClient): Promise<KinesisTestStream> {
    const streamName = `clickstream-${randomUUID().slice(0, 8)}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    for (;;) {
      const { StreamDescriptionSummary: summary } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      if (summary?.StreamStatus === 'ACTIVE' && summary.StreamARN) {
        const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
        const shardId = Shards?.[0]?.ShardId;
        if (!shardId) throw new Error(`stream ${streamName} has no shard`);
        return new KinesisTestStream(kinesis, streamName, summary.StreamARN, shardId);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Writes the records in order, 500 a call, as API Gateway's PutRecords integration does. */
  async put(records: readonly TestRecord[]): Promise<void> {
    for (const slice of chunks(records, 500)) {
      const response = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: slice.map(({ data, partitionKey }) => ({ Data: data, PartitionKey: partitionKey })),
        }),
      );
      if (response.FailedRecordCount)
        throw new Error(`kinesalite refused ${response.FailedRecordCount} records`);
    }
  }

  /** Every record of the stream so far, oldest first, as Lambda delivers them. */
  async read(): Promise<KinesisStreamRecord[]> {
    let { ShardIterator: iterator } = await this.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: this.shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records: KinesisStreamRecord[] = [];
    while (iterator) {
      const page = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!page.Records?.length) break;
      records.push(...page.Records.map((record) => this.asLambdaDelivers(record)));
      iterator = page.NextShardIterator;
    }
    return records;
  }

  private asLambdaDelivers(record: KinesisApiRecord): KinesisStreamRecord {
    const sequenceNumber = record.SequenceNumber ?? '';
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber,
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${this.shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/clickstream-processor',
      awsRegion: 'us-east-1',
      eventSourceARN: this.streamArn,
    };
  }
}

/** A Lambda invocation event carrying `records`. */
export function kinesisEvent(records: readonly KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: [...records] };
}
