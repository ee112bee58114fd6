/**
 * How fast the ClickstreamProcessor gets through a 10,000-record batch on this machine, with its
 * sinks local: the Firehose and Personalize Events stand-ins, and an AnalyticsTable on DynamoDB
 * Local created from the synthesized dev stage (as the unit tests get it). Shop traffic over ~200
 * sessions, ~50 products and 3 minutes; each run is a new batch that carries on the same shard.
 * Prints figures; asserts nothing.
 *
 *   npx tsx bench/clickstream-processor.bench.ts        # 5 runs
 *   npx tsx bench/clickstream-processor.bench.ts 10     # 10 runs
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { S3Client } from '@aws-sdk/client-s3';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { startFirehoseStandIn } from '../local/firehose/firehose-stand-in';
import { startPersonalizeEventsStandIn } from '../local/personalize/personalize-events-stand-in';
import { createClickstreamProcessor } from '../services/clickstream/handlers/clickstream-processor';
import { createClickstreamSinks } from '../services/clickstream/handlers/clickstream-sinks';
import { recordData, shopTraffic } from '../services/clickstream/testing/shop-traffic';
import { observability } from '../services/shared/powertools';
import { lambdaContext } from '../services/testing/api-gateway-event';
import globalSetup from '../services/testing/global-setup';
import globalTeardown from '../services/testing/global-teardown';
import { createLocalTables } from '../services/testing/local-tables';

const runs = Number(process.argv[2] ?? 5);
const RECORDS = 10_000;
const SHARD_ID = 'shardId-000000000000';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

// Quiet Powertools (read when the logger and metrics below are created) and a region for the SDK.
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  POWERTOOLS_SERVICE_NAME: 'clickstream-processor-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
});

/** Sequence numbers as Kinesis makes them: decimal, growing along the shard. */
let nextSequence = 49_600_000_000_000_000_000_000_000_000_000_000_000_000_000n;

/** A batch of fresh shop traffic from the last three minutes, as Lambda delivers it from one shard. */
function nextBatch(seed: number): KinesisStreamEvent {
  const now = Date.now();
  const traffic = shopTraffic({ events: RECORDS, start: new Date(now - 3 * 60_000), minutes: 3, seed });
  const records = traffic.map((streamed): KinesisStreamRecord => {
    nextSequence += 1_000_000n;
    const sequenceNumber = nextSequence.toString();
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: streamed.event.sessionId,
        sequenceNumber,
        data: recordData(streamed).toString('base64'),
        approximateArrivalTimestamp: streamed.receivedAt / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${SHARD_ID}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/clickstream-processor',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/ClickstreamStream',
    };
  });
  return { Records: records };
}

async function main(): Promise<void> {
  console.log('Starting DynamoDB Local and synthesizing the dev stage for the AnalyticsTable definition...');
  await globalSetup();
  const tables = await createLocalTables('AnalyticsTable');
  const firehose = await startFirehoseStandIn();
  const personalize = await startPersonalizeEventsStandIn();

  const dynamoDbCalls = new Map<string, number>();
  const count = (name: string) => dynamoDbCalls.set(name, (dynamoDbCalls.get(name) ?? 0) + 1);
  tables.client.middlewareStack.add(
    (next, context) => (args) => {
      count(context.commandName ?? '?');
      // The shoppers' activity items (pk USER#…), whether the key is marshalled yet or not.
      const pk = (args.input as { Key?: { pk?: string | { S?: string } } }).Key?.pk;
      const partition = typeof pk === 'string' ? pk : pk?.S;
      if (context.commandName === 'UpdateItemCommand' && partition?.startsWith('USER#'))
        count('activityUpdates');
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const clients = {
    firehose: new FirehoseClient({
      endpoint: firehose.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    }),
    personalize: new PersonalizeEventsClient({
      endpoint: personalize.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    }),
    documents: tables.documents,
    // No invalid records in the bench traffic: the quarantine is never written.
    s3: new S3Client({ region: 'us-east-1', credentials: CREDENTIALS }),
  };
  const processor = createClickstreamProcessor({
    sinks: createClickstreamSinks(
      {
        firehoseStreamName: 'clickstream-lake',
        analyticsTableName: tables.names.AnalyticsTable,
        personalizeTrackingId: 'bench-tracker',
        quarantineBucketName: 'unused',
      },
      clients,
    ),
    tools: observability(),
  });

  /** Processes `event`, and says how long it took and what it asked of the sinks. */
  async function measure(event: KinesisStreamEvent) {
    dynamoDbCalls.clear();
    firehose.reset();
    personalize.reset();
    const started = process.hrtime.bigint();
    // The deployed function's timeout (infra/constructs/clickstream.ts), not the test context's 10 s.
    const context = { ...lambdaContext('clickstream-processor'), getRemainingTimeInMillis: () => 60_000 };
    const response = await processor(event, context);
    const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      milliseconds,
      recordsPerSecond: (event.Records.length / milliseconds) * 1000,
      updates: dynamoDbCalls.get('UpdateItemCommand') ?? 0,
      activityUpdates: dynamoDbCalls.get('activityUpdates') ?? 0,
      reads: (dynamoDbCalls.get('BatchGetItemCommand') ?? 0) + (dynamoDbCalls.get('GetItemCommand') ?? 0),
      firehoseCalls: firehose.calls.length,
      personalizeCalls: personalize.calls.length,
      failures: response.batchItemFailures.length,
    };
  }
  const describe = (figures: Awaited<ReturnType<typeof measure>>) =>
    `${figures.milliseconds.toFixed(0).padStart(5)} ms  ${figures.recordsPerSecond.toFixed(0).padStart(6)} records/s  ` +
    `${figures.updates} UpdateItem (${figures.activityUpdates} of them shoppers' activity), ${figures.reads} reads, ${figures.firehoseCalls} PutRecordBatch, ` +
    `${figures.personalizeCalls} PutEvents, ${figures.failures} failures`;

  console.log(
    `\nClickstreamProcessor, ${RECORDS.toLocaleString('en')} records a batch (~200 sessions, ~50 products, 3 minutes), ` +
      `${runs} runs (the first includes warm-up):`,
  );
  const results = [];
  let last: KinesisStreamEvent | undefined;
  for (let run = 1; run <= runs; run++) {
    last = nextBatch(run);
    const figures = await measure(last);
    results.push(figures);
    console.log(`  run ${String(run).padStart(2)}: ${describe(figures)}`);
  }
  const sorted = results.map((r) => r.recordsPerSecond).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const updates = results.map((r) => r.updates);
  console.log(`  median: ${median.toFixed(0)} records/s`);
  const activityUpdates = results.map((r) => r.activityUpdates);
  console.log(
    `  UpdateItem calls per batch: ${Math.min(...updates)} to ${Math.max(...updates)}, of which shoppers' activity ` +
      `${Math.min(...activityUpdates)} to ${Math.max(...activityUpdates)}`,
  );
  if (last) console.log(`  the last batch once more (a replay): ${describe(await measure(last))}`);

  clients.firehose.destroy();
  clients.personalize.destroy();
  clients.s3.destroy();
  await tables.deleteAll();
  await Promise.all([firehose.stop(), personalize.stop()]);
  await globalTeardown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
