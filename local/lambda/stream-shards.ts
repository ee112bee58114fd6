/**
 * The shards of a stream, as the event source pollers read them: one interface over the Kinesis
 * and the DynamoDB Streams APIs, which differ only in names.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  DescribeStreamCommand,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamShardIteratorCommand,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { PolledRecord } from './batch-delivery';
import { dynamodbRecord, kinesisRecord, type EventSourceContext } from './stream-events';

export interface ShardDescription {
  readonly shardId: string;
  /** The shards it was split or merged from, which are read first. */
  readonly parentShardIds: readonly string[];
  /** A closed shard takes no new record (after a split, a merge or a DynamoDB shard rollover). */
  readonly closed: boolean;
}

export type ShardPosition =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface ShardRead {
  readonly records: readonly PolledRecord[];
  /** Absent once a closed shard has been read to its end. */
  readonly nextIterator: string | undefined;
  /** How far behind the tip of the shard the read is (Kinesis only). */
  readonly behindLatestMs?: number;
}

export interface StreamShards {
  listShards(): Promise<ShardDescription[]>;
  iterator(shardId: string, position: ShardPosition): Promise<string>;
  read(shardId: string, iterator: string): Promise<ShardRead>;
}

/** Records a GetRecords call asks for; the poller keeps what does not fit in a batch. */
const KINESIS_READ_LIMIT = 10_000;
const DYNAMODB_READ_LIMIT = 1_000;

export interface KinesisShardsProps {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly streamArn: string;
  readonly awsRegion: string;
  readonly invokeIdentityArn: string;
}

export function kinesisShards(props: KinesisShardsProps): StreamShards {
  const { client, streamName } = props;
  return {
    listShards: async () => {
      const shards: ShardDescription[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
        );
        for (const shard of page.Shards ?? []) {
          shards.push({
            shardId: shard.ShardId ?? '',
            parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter(isString),
            closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return shards;
    },
    iterator: async (shardId, position) => {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' && {
            StartingSequenceNumber: position.sequenceNumber,
          }),
        }),
      );
      if (!ShardIterator) throw new Error(`Kinesis gave no iterator for ${streamName}/${shardId}`);
      return ShardIterator;
    },
    read: async (shardId, iterator) => {
      const response = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: KINESIS_READ_LIMIT }),
      );
      const context = { ...eventSourceContext(props, shardId), invokeIdentityArn: props.invokeIdentityArn };
      return {
        records: (response.Records ?? []).map((record) => kinesisRecord(record, context)),
        nextIterator: response.NextShardIterator ?? undefined,
        ...(response.MillisBehindLatest !== undefined && { behindLatestMs: response.MillisBehindLatest }),
      };
    },
  };
}

export interface DynamoDbStreamShardsProps {
  readonly client: DynamoDBStreamsClient;
  /** The ARN DynamoDB (Local) reports for the table's stream. */
  readonly streamArn: string;
  readonly awsRegion: string;
}

export function dynamodbStreamShards(props: DynamoDbStreamShardsProps): StreamShards {
  const { client, streamArn } = props;
  return {
    listShards: async () => {
      const shards: ShardDescription[] = [];
      let exclusiveStartShardId: string | undefined;
      do {
        const { StreamDescription } = await client.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          shards.push({
            shardId: shard.ShardId ?? '',
            parentShardIds: [shard.ParentShardId].filter(isString),
            closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
          });
        }
        exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
      } while (exclusiveStartShardId);
      return shards;
    },
    iterator: async (shardId, position) => {
      const { ShardIterator } = await client.send(
        new GetStreamShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' && { SequenceNumber: position.sequenceNumber }),
        }),
      );
      if (!ShardIterator) throw new Error(`DynamoDB Streams gave no iterator for ${streamArn} ${shardId}`);
      return ShardIterator;
    },
    read: async (shardId, iterator) => {
      const response = await client.send(
        new GetStreamRecordsCommand({ ShardIterator: iterator, Limit: DYNAMODB_READ_LIMIT }),
      );
      const context = eventSourceContext(props, shardId);
      return {
        records: (response.Records ?? []).map((record) => dynamodbRecord(record, context)),
        nextIterator: response.NextShardIterator ?? undefined,
      };
    },
  };
}

function eventSourceContext(
  props: { readonly streamArn: string; readonly awsRegion: string },
  shardId: string,
): EventSourceContext {
  return { eventSourceArn: props.streamArn, awsRegion: props.awsRegion, shardId };
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
