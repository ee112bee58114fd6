import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, ResourceInUseException as StreamInUseException } from '@aws-sdk/client-kinesis';
import { BucketAlreadyOwnedByYou, CreateBucketCommand } from '@aws-sdk/client-s3';
import { tableDefinitions } from '../dynamodb/table-definitions';
import { localKinesisClient } from '../kinesis/kinesalite';
import { localS3Client } from '../s3/s3rver';
import type { LocalNames } from '../template/local-names';
import type { StageTemplates } from '../template/stage-templates';
import { LOCAL_CREDENTIALS } from './local-credentials';

/** A resource of the stage and its name on the local emulator. */
export interface NamedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly name: string;
}

export interface LocalTable extends NamedResource {
  /** The ARN of the table's stream as DynamoDB Local reports it, when the table has a stream. */
  readonly streamArn?: string;
}

/** The tables, streams, buckets and queues of the stage, created on the emulators. */
export interface StageResources {
  readonly tables: readonly LocalTable[];
  readonly streams: readonly NamedResource[];
  readonly buckets: readonly NamedResource[];
  /** SQS queues: locally, dead-letter files under `.local/dead-letters/`. */
  readonly queues: readonly NamedResource[];
}

export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly kinesis: string;
  readonly s3: string;
}

/**
 * Creates every `AWS::DynamoDB::Table` (keys, indexes, stream, TTL), `AWS::Kinesis::Stream` (its
 * shard count) and `AWS::S3::Bucket` of the stage on the emulators, under their local names.
 * Idempotent: what already exists (data kept from a previous start) is reused as it is.
 */
export async function createStageResources(
  stage: StageTemplates,
  names: LocalNames,
  endpoints: EmulatorEndpoints,
): Promise<StageResources> {
  const named = (type: string): NamedResource[] =>
    stage.resourcesOfType(type).map(({ stackName, logicalId }) => ({
      stackName,
      logicalId,
      name: names(stackName, logicalId, type).ref,
    }));

  const dynamodb = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const tables = await Promise.all(
    stage.stackNames.flatMap((stackName) =>
      tableDefinitions({ Resources: stage.template(stackName).Resources ?? {} }).map(async (definition) => {
        const name = names(stackName, definition.logicalId, 'AWS::DynamoDB::Table').ref;
        await createTable(dynamodb, name, definition);
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
        return {
          stackName,
          logicalId: definition.logicalId,
          name,
          ...(Table?.LatestStreamArn && { streamArn: Table.LatestStreamArn }),
        };
      }),
    ),
  );

  const kinesis = localKinesisClient(endpoints.kinesis);
  const streams = named('AWS::Kinesis::Stream');
  for (const stream of streams) {
    const props = stage.resource(stream.stackName, stream.logicalId).properties;
    const onDemand =
      (props.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode === 'ON_DEMAND';
    // An on-demand stream starts with 4 shards in AWS.
    const shardCount = onDemand ? 4 : Number(props.ShardCount ?? 1);
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: shardCount }));
    } catch (error) {
      if (!(error instanceof StreamInUseException)) throw error;
    }
  }

  const s3 = localS3Client(endpoints.s3);
  const buckets = named('AWS::S3::Bucket');
  for (const bucket of buckets) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou) && (error as Error).name !== 'BucketAlreadyExists')
        throw error;
    }
  }

  return { tables, streams, buckets, queues: named('AWS::SQS::Queue') };
}

async function createTable(
  dynamodb: DynamoDBClient,
  name: string,
  definition: ReturnType<typeof tableDefinitions>[number],
): Promise<void> {
  try {
    await dynamodb.send(new CreateTableCommand({ TableName: name, ...definition.create }));
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  if (definition.timeToLiveAttribute) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}
