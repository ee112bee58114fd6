import { FirehoseClient } from '@aws-sdk/client-firehose';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startFirehoseStandIn, type FirehoseStandIn } from '../../../local/firehose/firehose-stand-in';
import { localKinesisClient, startKinesalite, type Kinesalite } from '../../../local/kinesis/kinesalite';
import {
  startPersonalizeEventsStandIn,
  type PersonalizeEventsStandIn,
} from '../../../local/personalize/personalize-events-stand-in';
import { localS3Client, startS3rver, type S3rver } from '../../../local/s3/s3rver';
import { observability, type Observability } from '../../shared/powertools';
import { createLocalTables } from '../../testing/local-tables';
import type { ClickstreamConfig } from '../handlers/clickstream-config';
import { createClickstreamProcessor } from '../handlers/clickstream-processor';
import { createClickstreamSinks, type ClickstreamClients } from '../handlers/clickstream-sinks';
import type { QuarantinedRecord } from '../domain/ports';
import { KinesisTestStream } from './kinesis-test-stream';

const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export const QUARANTINE_BUCKET = 'clickstream-quarantine';

/**
 * Everything the processor talks to, on this machine: kinesalite (the source), the Firehose and
 * Personalize Events stand-ins, s3rver (the quarantine) and an AnalyticsTable on DynamoDB Local
 * (started by the jest globalSetup), with the real SDK clients pointed at them.
 */
export async function startClickstreamTestPlatform() {
  const started: { stop(): Promise<void> }[] = [];
  const kinesalite: Kinesalite = await startKinesalite();
  started.push(kinesalite);
  const s3rver: S3rver = await startS3rver({
    buckets: [QUARANTINE_BUCKET],
    credentials: [LOCAL_CREDENTIALS],
  });
  started.push(s3rver);
  const firehose: FirehoseStandIn = await startFirehoseStandIn();
  started.push(firehose);
  const personalize: PersonalizeEventsStandIn = await startPersonalizeEventsStandIn();
  started.push(personalize);
  const tables = await createLocalTables('AnalyticsTable');

  const kinesis: KinesisClient = localKinesisClient(kinesalite.endpoint);
  const s3: S3Client = localS3Client(s3rver.endpoint);
  const clients: ClickstreamClients = {
    firehose: new FirehoseClient({
      endpoint: firehose.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
    personalize: new PersonalizeEventsClient({
      endpoint: personalize.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 2,
    }),
    documents: tables.documents,
    s3,
  };
  const config: ClickstreamConfig = {
    firehoseStreamName: 'clickstream-lake',
    analyticsTableName: tables.names.AnalyticsTable,
    personalizeTrackingId: 'tracking-test',
    quarantineBucketName: QUARANTINE_BUCKET,
  };

  return {
    firehose,
    personalize,
    /** Where the stand-ins and emulators listen. */
    endpoints: {
      firehose: firehose.endpoint,
      personalizeEvents: personalize.endpoint,
      s3: s3rver.endpoint,
      dynamodb: process.env.DYNAMODB_LOCAL_ENDPOINT ?? '',
    },
    config,
    tables,
    /** A new one-shard stream on kinesalite. */
    createStream: () => KinesisTestStream.create(kinesis),
    /** The processor on the local sinks, configured as `config` with `overrides`. */
    processor: (overrides: Partial<ClickstreamConfig> = {}, tools: Observability = observability()) =>
      createClickstreamProcessor({
        sinks: createClickstreamSinks({ ...config, ...overrides }, clients),
        tools,
      }),
    /** The enriched events delivered to the lake, parsed. */
    deliveredEvents: (): Record<string, unknown>[] =>
      firehose.records(config.firehoseStreamName).map((record) => JSON.parse(record.toString('utf8'))),
    /** The raw lines delivered to the lake. */
    deliveredLines: (): string[] =>
      firehose.records(config.firehoseStreamName).map((record) => record.toString('utf8')),
    /** Every aggregate item of the minutes of `day` (`2026-11-25`). */
    aggregatesOf: async (day: string): Promise<Record<string, unknown>[]> => {
      const { Items } = await tables.documents.send(
        new ScanCommand({
          TableName: tables.names.AnalyticsTable,
          FilterExpression: 'begins_with(pk, :day)',
          ExpressionAttributeValues: { ':day': `MINUTE#${day}` },
          ConsistentRead: true,
        }),
      );
      return Items ?? [];
    },
    /** Every shopper's recent activity item (`pk` `USER#…`) of the users whose id starts with `userPrefix`. */
    userActivityOf: async (userPrefix: string): Promise<Record<string, unknown>[]> => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await tables.documents.send(
          new ScanCommand({
            TableName: tables.names.AnalyticsTable,
            FilterExpression: 'begins_with(pk, :user)',
            ExpressionAttributeValues: { ':user': `USER#${userPrefix}` },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    /** Every quarantine object, by key, with its lines parsed. */
    quarantine: async (): Promise<Map<string, QuarantinedRecord[]>> => {
      const objects = new Map<string, QuarantinedRecord[]>();
      const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: QUARANTINE_BUCKET }));
      for (const { Key } of Contents ?? []) {
        if (!Key) continue;
        const object = await s3.send(new GetObjectCommand({ Bucket: QUARANTINE_BUCKET, Key }));
        const text = (await object.Body?.transformToString()) ?? '';
        objects.set(
          Key,
          text
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line)),
        );
      }
      return objects;
    },
    stop: async () => {
      kinesis.destroy();
      clients.firehose.destroy();
      clients.personalize.destroy();
      s3.destroy();
      await tables.deleteAll();
      await Promise.all(started.map((service) => service.stop()));
    },
  };
}

export type ClickstreamTestPlatform = Awaited<ReturnType<typeof startClickstreamTestPlatform>>;

/**
 * Starts the clickstream test platform once for the enclosing `describe` (stopped after it), with
 * the Firehose and Personalize stand-ins emptied before each test. Returns its getter.
 */
export function useClickstreamTestPlatform(): () => ClickstreamTestPlatform {
  let platform: ClickstreamTestPlatform | undefined;
  beforeAll(async () => {
    platform = await startClickstreamTestPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
  });
  beforeEach(() => {
    platform?.firehose.reset();
    platform?.personalize.reset();
  });
  return () => {
    if (!platform) throw new Error('the clickstream test platform is not started yet (use it inside a test)');
    return platform;
  };
}
