import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { DynamoDBRecord, KinesisStreamEvent } from 'aws-lambda';
import { localKinesisClient, startKinesalite, type Kinesalite } from '../kinesis/kinesalite';
import type { LocalEventSourceMapping } from '../template/event-source-mappings';
import type { ResourceReference } from '../template/intrinsics';
import type { LocalFunction } from '../template/functions';
import {
  startEventSourcePollers,
  type EventSourcePollerOptions,
  type EventSourcePollers,
  type OnFailureRecord,
  type PolledMapping,
} from './event-source-pollers';
import { startFunctionHost, type FunctionRef, type InvokeResult } from './function-host';

const DEAD_LETTER_QUEUE: ResourceReference = {
  stackName: 'dev-Test',
  logicalId: 'DeadLetterQueue',
  type: 'AWS::SQS::Queue',
  attribute: 'Arn',
};
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:dev-Processor';
/** ExplicitHashKeys that put a record on the first or the second shard of a two-shard stream. */
const SHARD = { first: '0', second: '340282366920938463463374607431768211455' };

function mapping(props: Partial<LocalEventSourceMapping> = {}): LocalEventSourceMapping {
  return {
    stackName: 'dev-Test',
    logicalId: 'ProcessorEventSource',
    functionLogicalId: 'ProcessorABCDEF12',
    source: {
      stackName: 'dev-Stateful',
      logicalId: 'Stream',
      type: 'AWS::Kinesis::Stream',
      attribute: 'Arn',
    },
    batchSize: 100,
    maximumBatchingWindowInSeconds: 0,
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    functionResponseTypes: [],
    startingPosition: 'TRIM_HORIZON',
    onFailure: DEAD_LETTER_QUEUE,
    parallelizationFactor: 1,
    ...props,
  };
}

/** The text of each record of a Kinesis event. */
const texts = (event: unknown) =>
  (event as KinesisStreamEvent).Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());
const sequenceOf = (event: unknown, text: string) =>
  (event as KinesisStreamEvent).Records.find((r) => Buffer.from(r.kinesis.data, 'base64').toString() === text)
    ?.kinesis.sequenceNumber;

describe('event source pollers', () => {
  let kinesalite: Kinesalite;
  let kinesis: KinesisClient;
  let running: EventSourcePollers[] = [];
  const logged: string[] = [];
  const failures: { destination: ResourceReference; record: OnFailureRecord }[] = [];

  beforeAll(async () => {
    kinesalite = await startKinesalite();
    kinesis = localKinesisClient(kinesalite.endpoint);
  });

  afterAll(async () => {
    kinesis.destroy();
    await kinesalite.stop();
  });

  afterEach(async () => {
    await Promise.all(running.map((pollers) => pollers.stop()));
    running = [];
    logged.length = 0;
    failures.length = 0;
  });

  async function stream(shards = 1): Promise<{ streamName: string; streamArn: string }> {
    const streamName = `clicks-${randomUUID().slice(0, 8)}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
    // kinesalite makes a stream ACTIVE a moment after it answers CreateStream.
    for (;;) {
      const { StreamDescriptionSummary } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { streamName, streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}` };
  }

  async function put(streamName: string, values: string[], explicitHashKey = SHARD.first): Promise<void> {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: values.map((value) => ({
          Data: Buffer.from(value),
          PartitionKey: 'session-1',
          ExplicitHashKey: explicitHashKey,
        })),
      }),
    );
    expect(result.FailedRecordCount).toBe(0);
  }

  async function start(
    mappings: PolledMapping[],
    invoke: EventSourcePollerOptions['invoke'],
  ): Promise<EventSourcePollers> {
    const pollers = await startEventSourcePollers({
      mappings,
      invoke,
      kinesisEndpoint: kinesalite.endpoint,
      dynamodbEndpoint: dynamodbEndpoint(),
      onFailure: async (destination, record) => {
        failures.push({ destination, record });
      },
      pollIntervalMs: 20,
      retryBackoff: { initialMs: 5, maxMs: 20 },
      log: (line) => logged.push(line),
    });
    running.push(pollers);
    return pollers;
  }

  /** A function that records each event it is given, and answers with `respond`. */
  function recorder(respond: (event: unknown, call: number) => InvokeResult = () => ok()) {
    const calls: { fn: FunctionRef; event: unknown }[] = [];
    const invoke = async (fn: FunctionRef, event: unknown) => {
      calls.push({ fn, event });
      return respond(event, calls.length);
    };
    return { calls, invoke };
  }

  describe('Kinesis', () => {
    it('delivers the records of every shard in order, in batches of at most BatchSize', async () => {
      const source = await stream(2);
      await put(source.streamName, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'], SHARD.first);
      await put(source.streamName, ['b0', 'b1'], SHARD.second);
      const fn = recorder();

      const pollers = await start(
        [
          {
            mapping: mapping({ batchSize: 3 }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();

      const batches = fn.calls.map((call) => texts(call.event));
      expect(batches.filter((batch) => batch[0]?.startsWith('a'))).toEqual([
        ['a0', 'a1', 'a2'],
        ['a3', 'a4', 'a5'],
        ['a6'],
      ]);
      expect(batches.filter((batch) => batch[0]?.startsWith('b'))).toEqual([['b0', 'b1']]);
      expect(fn.calls[0]?.fn).toEqual({ stackName: 'dev-Test', logicalId: 'ProcessorABCDEF12' });
      const [record] = (fn.calls[0]?.event as KinesisStreamEvent).Records;
      expect(record).toEqual({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'session-1',
          sequenceNumber: expect.stringMatching(/^\d+$/),
          data: expect.any(String),
          approximateArrivalTimestamp: expect.any(Number),
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: expect.stringMatching(/^shardId-00000000000[01]:\d+$/),
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/dev-Processor-role',
        awsRegion: 'us-east-1',
        eventSourceARN: source.streamArn,
      });
      expect(Math.abs(record!.kinesis.approximateArrivalTimestamp * 1000 - Date.now())).toBeLessThan(600_000);
    });

    it('starting at LATEST, delivers only the records written after it started', async () => {
      const source = await stream();
      await put(source.streamName, ['before']);
      const fn = recorder();

      const pollers = await start(
        [
          {
            mapping: mapping({ startingPosition: 'LATEST' }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await put(source.streamName, ['after-1', 'after-2']);
      await pollers.drained();

      expect(fn.calls.flatMap((call) => texts(call.event))).toEqual(['after-1', 'after-2']);
    });

    it('retries a batch from the lowest record the function reports as failed', async () => {
      const source = await stream();
      await put(source.streamName, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      const fn = recorder((event, call) =>
        call === 1
          ? ok({
              batchItemFailures: [
                { itemIdentifier: sequenceOf(event, 'r5') },
                { itemIdentifier: sequenceOf(event, 'r3') },
              ],
            })
          : ok({ batchItemFailures: [] }),
      );

      const pollers = await start(
        [
          {
            mapping: mapping({ functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 2 }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();

      expect(fn.calls.map((call) => texts(call.event))).toEqual([
        ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'],
        ['r3', 'r4', 'r5'],
      ]);
      expect(failures).toEqual([]);
    });

    it('bisects a failing batch down to its poison record, then sends that record’s batch to the on-failure destination', async () => {
      const source = await stream();
      await put(source.streamName, ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7']);
      const fn = recorder((event) =>
        texts(event).includes('poison')
          ? { ok: false, errorType: 'PoisonRecordError', errorMessage: 'cannot read poison' }
          : ok(),
      );

      const pollers = await start(
        [
          {
            mapping: mapping({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();

      const batches = fn.calls.map((call) => texts(call.event));
      expect(batches).toEqual([
        ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7'],
        ['r0', 'r1', 'r2', 'r3'],
        ['r4', 'poison', 'r6', 'r7'],
        ['r4', 'poison'],
        ['r4'],
        ['poison'],
        ['poison'],
        ['r6', 'r7'],
      ]);
      const poison = sequenceOf(fn.calls[0]?.event, 'poison');
      expect(failures).toEqual([
        {
          destination: DEAD_LETTER_QUEUE,
          record: {
            requestContext: {
              requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
              functionArn: FUNCTION_ARN,
              condition: 'RetryAttemptsExhausted',
              approximateInvokeCount: 5,
            },
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            version: '1.0',
            timestamp: expect.any(String),
            KinesisBatchInfo: {
              shardId: 'shardId-000000000000',
              startSequenceNumber: poison,
              endSequenceNumber: poison,
              approximateArrivalOfFirstRecord: expect.any(String),
              approximateArrivalOfLastRecord: expect.any(String),
              batchSize: 1,
              streamArn: source.streamArn,
            },
          },
        },
      ]);
      expect(logged).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            `record ${poison} given up on (RetryAttemptsExhausted, 5 invocations): sent to dev-Test/DeadLetterQueue`,
          ),
        ]),
      );
    });

    it('gives records older than MaximumRecordAgeInSeconds to the on-failure destination instead of the function', async () => {
      const source = await stream();
      await put(source.streamName, ['old']);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const fn = recorder();

      const pollers = await start(
        [
          {
            mapping: mapping({ maximumRecordAgeInSeconds: 1 }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();

      expect(fn.calls).toEqual([]);
      expect(
        failures.map(({ record }) => [
          record.requestContext,
          record.responseContext,
          record.KinesisBatchInfo?.batchSize,
        ]),
      ).toEqual([
        [
          expect.objectContaining({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 }),
          undefined,
          1,
        ],
      ]);
    });

    it('logs the records it gives up on when the mapping has no on-failure destination', async () => {
      const source = await stream();
      await put(source.streamName, ['poison']);
      const fn = recorder(() => ({ ok: false, errorType: 'Error', errorMessage: 'boom' }));

      const pollers = await start(
        [
          {
            mapping: mapping({ maximumRetryAttempts: 0, onFailure: undefined }),
            source: { kind: 'kinesis', ...source },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();

      expect(fn.calls).toHaveLength(1);
      expect(failures).toEqual([]);
      expect(logged).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /Processor <- clicks-\w+ shardId-000000000000: record \d+ failed \(Error: boom\): retries exhausted/,
          ),
          expect.stringMatching(
            /given up on \(RetryAttemptsExhausted, 1 invocations\): discarded, the mapping has no on-failure destination/,
          ),
        ]),
      );
    });

    it('refuses to start on a stream that does not exist, naming the mapping', async () => {
      await expect(
        start(
          [
            {
              mapping: mapping(),
              source: {
                kind: 'kinesis',
                streamName: 'missing',
                streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/missing',
              },
              functionArn: FUNCTION_ARN,
            },
          ],
          recorder().invoke,
        ),
      ).rejects.toThrow(
        'Event source mapping dev-Test/ProcessorEventSource cannot read the Kinesis stream missing',
      );
    });
  });

  describe('with the function host', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'event-source-pollers-test-'));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('runs a function that reports batch item failures, until its poison record goes to the destination', async () => {
      // A stream consumer as the platform writes them: each record it cannot process is reported.
      const directory = path.join(root, 'consumer');
      fs.mkdirSync(directory);
      fs.writeFileSync(
        path.join(directory, 'index.js'),
        `
        const fs = require('node:fs');
        exports.handler = async (event) => {
          const batchItemFailures = [];
          for (const record of event.Records) {
            const text = Buffer.from(record.kinesis.data, 'base64').toString();
            if (text === 'poison') batchItemFailures.push({ itemIdentifier: record.kinesis.sequenceNumber });
            else fs.appendFileSync(process.env.PROCESSED_FILE, text + '\\n');
          }
          return { batchItemFailures };
        };`,
      );
      const processed = path.join(root, 'processed.txt');
      const consumer: LocalFunction = {
        stackName: 'dev-Test',
        logicalId: 'ProcessorABCDEF12',
        handler: 'index.handler',
        runtime: 'nodejs24.x',
        timeoutSeconds: 30,
        memoryMb: 256,
        environment: { PROCESSED_FILE: processed },
        code: { kind: 'asset', directory },
      };
      const host = await startFunctionHost({ functions: [consumer], environment: {}, log: () => undefined });
      const source = await stream();
      await put(source.streamName, ['a', 'b', 'poison', 'c']);

      try {
        const pollers = await start(
          [
            {
              mapping: mapping({
                functionResponseTypes: ['ReportBatchItemFailures'],
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts: 1,
              }),
              source: { kind: 'kinesis', ...source },
              functionArn: FUNCTION_ARN,
            },
          ],
          host.invoke,
        );
        await pollers.drained();
      } finally {
        await host.stop();
      }

      // Records after a reported one are delivered again: at least once, as in Lambda.
      expect(new Set(fs.readFileSync(processed, 'utf8').trim().split('\n'))).toEqual(
        new Set(['a', 'b', 'c']),
      );
      expect(
        failures.map(({ record }) => [record.requestContext.condition, record.KinesisBatchInfo?.batchSize]),
      ).toEqual([['RetryAttemptsExhausted', 1]]);
      expect(failures[0]?.record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    });
  });

  describe('DynamoDB Streams', () => {
    let dynamodb: DynamoDBClient;
    let tableName: string;
    let streamArn: string;

    beforeAll(async () => {
      dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint(), region: 'us-east-1' });
      tableName = `orders-${randomUUID().slice(0, 8)}`;
      const { TableDescription } = await dynamodb.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      streamArn = TableDescription?.LatestStreamArn ?? '';
    });

    afterAll(async () => {
      await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
      dynamodb.destroy();
    });

    it('delivers INSERT, MODIFY and REMOVE changes with their images, in order', async () => {
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { orderId: { S: 'o-1' }, status: { S: 'PLACED' } },
        }),
      );
      const fn = recorder();
      const pollers = await start(
        [
          {
            mapping: mapping({
              source: {
                stackName: 'dev-Stateful',
                logicalId: 'OrdersTable',
                type: 'AWS::DynamoDB::Table',
                attribute: 'StreamArn',
              },
              functionResponseTypes: ['ReportBatchItemFailures'],
            }),
            source: { kind: 'dynamodb', tableName, streamArn },
            functionArn: FUNCTION_ARN,
          },
        ],
        fn.invoke,
      );
      await pollers.drained();
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { orderId: { S: 'o-1' } },
          UpdateExpression: 'SET #status = :paid',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':paid': { S: 'PAID' } },
        }),
      );
      await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { orderId: { S: 'o-1' } } }));
      await pollers.drained();

      const records = fn.calls.flatMap((call) => (call.event as { Records: DynamoDBRecord[] }).Records);
      expect(
        records.map((r) => [r.eventName, r.dynamodb?.OldImage?.status?.S, r.dynamodb?.NewImage?.status?.S]),
      ).toEqual([
        ['INSERT', undefined, 'PLACED'],
        ['MODIFY', 'PLACED', 'PAID'],
        ['REMOVE', 'PAID', undefined],
      ]);
      expect(records[1]).toEqual({
        eventID: expect.any(String),
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: expect.any(Number),
          Keys: { orderId: { S: 'o-1' } },
          NewImage: { orderId: { S: 'o-1' }, status: { S: 'PAID' } },
          OldImage: { orderId: { S: 'o-1' }, status: { S: 'PLACED' } },
          SequenceNumber: expect.any(String),
          SizeBytes: expect.any(Number),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: streamArn,
      });
    });
  });
});

function ok(payload: unknown = null): InvokeResult {
  return { ok: true, payload };
}

function dynamodbEndpoint(): string {
  const endpoint = process.env.DYNAMODB_LOCAL_ENDPOINT;
  if (!endpoint)
    throw new Error('DynamoDB Local is not running: the jest globalSetup starts it (jest.config.js)');
  return endpoint;
}
