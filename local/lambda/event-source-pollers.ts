/**
 * The event source mappings of the stage, run locally: for each mapping, a reader per shard of its
 * Kinesis stream (kinesalite) or DynamoDB stream (DynamoDB Local), which delivers the records to
 * the function in batches, with Lambda's rules for failures (batch-delivery.ts).
 *
 * ```
 *  mapping ─ shard discovery (every 10 s, and when a shard ends) ─┬─ ShardReader shardId-0 ─┐
 *                                                                 └─ ShardReader shardId-1 ─┼─> invoke(fn, { Records })
 *                                           records that failed for good ─> onFailure(destination, record)
 * ```
 *
 * Shards are read in order, one batch at a time each; a child shard (after a split, a merge or a
 * DynamoDB shard rollover) is read once its parents are read to their end.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LocalEventSourceMapping } from '../template/event-source-mappings';
import type { ResourceReference } from '../template/intrinsics';
import { LOCAL_REGION } from '../template/local-names';
import {
  onFailureRecord,
  type DeliveryPolicy,
  type FailureCondition,
  type InvocationOutcome,
  type OnFailureRecord,
  type PendingBatch,
  type RetryBackoff,
} from './batch-delivery';
import type { FunctionRef, InvokeResult } from './function-host';
import { describe, ShardReader } from './shard-reader';
import {
  dynamodbStreamShards,
  kinesisShards,
  type ShardDescription,
  type ShardPosition,
  type StreamShards,
} from './stream-shards';

export type { OnFailureRecord } from './batch-delivery';

export type PollerSource =
  | { readonly kind: 'kinesis'; readonly streamName: string; readonly streamArn: string }
  | {
      readonly kind: 'dynamodb';
      readonly tableName: string;
      /** The real one DynamoDB Local reports (`LatestStreamArn`), which its Streams API takes. */
      readonly streamArn: string;
    };

export interface PolledMapping {
  readonly mapping: LocalEventSourceMapping;
  readonly source: PollerSource;
  readonly functionArn: string;
  /**
   * `invokeIdentityArn` of Kinesis records: the function's execution role.
   * @default arn:aws:iam::<account of functionArn>:role/<function name>-role
   */
  readonly invokeIdentityArn?: string;
}

export interface EventSourcePollerOptions {
  readonly mappings: readonly PolledMapping[];
  readonly invoke: (fn: FunctionRef, event: unknown) => Promise<InvokeResult>;
  readonly kinesisEndpoint: string;
  /** DynamoDB Local serves the DynamoDB Streams API on the same endpoint. */
  readonly dynamodbEndpoint: string;
  /** @default us-east-1 */
  readonly region?: string;
  /** @default test / test */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A batch that failed for good: send its record to the mapping's on-failure destination. */
  readonly onFailure: (destination: ResourceReference, record: OnFailureRecord) => Promise<void>;
  /**
   * How long a shard reader waits after a read that found nothing new.
   * @default 250
   */
  readonly pollIntervalMs?: number;
  /**
   * The wait before each retry of a failed batch: doubling from `initialMs` up to `maxMs`. Splitting
   * a batch (bisect) does not wait.
   * @default { initialMs: 500, maxMs: 20_000 }
   */
  readonly retryBackoff?: RetryBackoff;
  /** @default prints `[event-source-mapping] line` */
  readonly log?: (line: string) => void;
}

export interface EventSourcePollers {
  /** Stops every reader; an invocation in flight finishes in the function host, its result unused. */
  stop(): Promise<void>;
  /** Resolves when every shard's reader has caught up with the records written before the call. */
  drained(): Promise<void>;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_RETRY_BACKOFF: RetryBackoff = { initialMs: 500, maxMs: 20_000 };
const SHARD_DISCOVERY_INTERVAL_MS = 10_000;
/** Attempts at handing a record to the on-failure destination before it is logged as lost. */
const ON_FAILURE_ATTEMPTS = 3;

/**
 * Starts a reader on every shard of every mapping. Resolves once each reader holds its starting
 * position (so that with `LATEST` every record written after this resolves is delivered); rejects,
 * naming the mapping, when a stream cannot be read.
 */
export async function startEventSourcePollers(
  options: EventSourcePollerOptions,
): Promise<EventSourcePollers> {
  const log = options.log ?? ((line: string) => process.stdout.write(`[event-source-mapping] ${line}\n`));
  const region = options.region ?? LOCAL_REGION;
  const clientConfig = {
    region,
    credentials: options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    // The SDK's default for Kinesis speaks HTTP/2, which kinesalite does not.
    requestHandler: new NodeHttpHandler(),
  };
  const kinesis = new KinesisClient({ ...clientConfig, endpoint: options.kinesisEndpoint });
  const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: options.dynamodbEndpoint });
  const abort = new AbortController();
  const waiters = new Set<() => void>();
  const notify = () => [...waiters].forEach((check) => check());
  const settings: PollerSettings = {
    invoke: options.invoke,
    onFailure: options.onFailure,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    retryBackoff: options.retryBackoff ?? DEFAULT_RETRY_BACKOFF,
    signal: abort.signal,
    notify,
  };
  const pollers = options.mappings.map((polled) => {
    const label = labelOf(polled);
    const shards =
      polled.source.kind === 'kinesis'
        ? kinesisShards({
            client: kinesis,
            streamName: polled.source.streamName,
            streamArn: polled.source.streamArn,
            awsRegion: region,
            invokeIdentityArn: polled.invokeIdentityArn ?? defaultInvokeIdentityArn(polled.functionArn),
          })
        : dynamodbStreamShards({ client: streams, streamArn: polled.source.streamArn, awsRegion: region });
    return new MappingPoller(polled, shards, settings, (line) => log(`${label} ${line}`));
  });
  const stop = async () => {
    abort.abort();
    await Promise.all(pollers.map((poller) => poller.stopped()));
    notify();
    kinesis.destroy();
    streams.destroy();
  };
  try {
    await Promise.all(pollers.map((poller) => poller.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    stop,
    drained: async () => {
      const since = Date.now();
      await Promise.all(pollers.map((poller) => poller.discover()));
      await new Promise<void>((resolve) => {
        const check = () => {
          if (abort.signal.aborted || pollers.every((poller) => poller.caughtUpSince(since))) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

interface PollerSettings {
  readonly invoke: EventSourcePollerOptions['invoke'];
  readonly onFailure: EventSourcePollerOptions['onFailure'];
  readonly pollIntervalMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly signal: AbortSignal;
  readonly notify: () => void;
}

/** One event source mapping: its shards, and a reader on each. */
class MappingPoller {
  private readonly readers = new Map<string, ShardReader>();
  /** Shards read to their end, or skipped (closed shards when starting at LATEST). */
  private readonly finished = new Set<string>();
  private known: readonly ShardDescription[] = [];
  private discoveredAt = -Infinity;
  private discovering: Promise<void> = Promise.resolve();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly policy: DeliveryPolicy & { readonly batchingWindowMs: number };

  constructor(
    private readonly polled: PolledMapping,
    private readonly shards: StreamShards,
    private readonly settings: PollerSettings,
    private readonly log: (line: string) => void,
  ) {
    const { mapping } = polled;
    this.policy = {
      batchSize: mapping.batchSize,
      batchingWindowMs: mapping.maximumBatchingWindowInSeconds * 1000,
      bisectOnError: mapping.bisectBatchOnFunctionError,
      maximumRetryAttempts: mapping.maximumRetryAttempts,
      maximumRecordAgeSeconds: mapping.maximumRecordAgeInSeconds,
      reportBatchItemFailures: mapping.functionResponseTypes.includes('ReportBatchItemFailures'),
    };
  }

  async start(): Promise<void> {
    const { mapping } = this.polled;
    if (mapping.parallelizationFactor > 1) {
      this.log(
        `ParallelizationFactor ${mapping.parallelizationFactor}: read with a factor of 1 locally (one batch at a time per shard)`,
      );
    }
    try {
      await this.discover();
    } catch (error) {
      throw new Error(
        `Event source mapping ${mapping.stackName}/${mapping.logicalId} cannot read ${describeSource(this.polled.source)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.started = true;
    this.scheduleDiscovery();
  }

  /** Lists the shards and starts a reader on each new one whose parents are read. */
  discover(): Promise<void> {
    this.discovering = this.discovering.catch(() => undefined).then(() => this.discoverNow());
    return this.discovering;
  }

  caughtUpSince(sinceMs: number): boolean {
    return (
      this.discoveredAt >= sinceMs &&
      this.known.every(
        ({ shardId }) => this.finished.has(shardId) || this.readers.get(shardId)?.caughtUpSince(sinceMs),
      )
    );
  }

  async stopped(): Promise<void> {
    clearTimeout(this.timer);
    await this.discovering.catch(() => undefined);
    await Promise.all([...this.readers.values()].map((reader) => reader.done));
  }

  private async discoverNow(): Promise<void> {
    if (this.settings.signal.aborted) return;
    const listedAt = Date.now();
    const shards = await this.shards.listShards();
    const listed = new Set(shards.map((shard) => shard.shardId));
    const startAtLatest = !this.started && this.polled.mapping.startingPosition === 'LATEST';
    for (const shard of shards) {
      if (this.readers.has(shard.shardId) || this.finished.has(shard.shardId)) continue;
      if (startAtLatest && shard.closed) {
        this.finished.add(shard.shardId);
        continue;
      }
      const parentsRead = shard.parentShardIds.every((id) => !listed.has(id) || this.finished.has(id));
      if (!parentsRead) continue;
      // A shard found later (a child shard) is read from its start.
      const position: ShardPosition = { type: this.started ? 'TRIM_HORIZON' : this.startingPosition() };
      const iterator = await this.shards.iterator(shard.shardId, position);
      this.readers.set(shard.shardId, this.reader(shard.shardId, position, iterator));
    }
    this.known = shards;
    this.discoveredAt = listedAt;
    this.settings.notify();
  }

  private startingPosition(): 'TRIM_HORIZON' | 'LATEST' {
    const position = this.polled.mapping.startingPosition ?? 'TRIM_HORIZON';
    if (position === 'TRIM_HORIZON' || position === 'LATEST') return position;
    this.log(`StartingPosition ${position} is not supported locally: reading from TRIM_HORIZON`);
    return 'TRIM_HORIZON';
  }

  private scheduleDiscovery(): void {
    if (this.settings.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.discover()
        .catch((error: Error) => this.log(`listing the shards failed: ${error.message}`))
        .finally(() => this.scheduleDiscovery());
    }, SHARD_DISCOVERY_INTERVAL_MS);
  }

  private reader(shardId: string, position: ShardPosition, iterator: string): ShardReader {
    const { mapping } = this.polled;
    const fn = { stackName: mapping.stackName, logicalId: mapping.functionLogicalId };
    const reader: ShardReader = new ShardReader({
      shardId,
      stream: this.shards,
      start: { position, iterator },
      policy: this.policy,
      invoke: (records) => this.settings.invoke(fn, { Records: records.map((record) => record.event) }),
      giveUp: (batch, condition, lastOutcome) => this.giveUp(shardId, batch, condition, lastOutcome),
      pollIntervalMs: this.settings.pollIntervalMs,
      retryBackoff: this.settings.retryBackoff,
      log: this.log,
      signal: this.settings.signal,
      onProgress: () => {
        if (reader.finished) {
          this.finished.add(shardId);
          this.readers.delete(shardId);
          // Its children, if any, can be read now.
          this.discover().catch((error: Error) => this.log(`listing the shards failed: ${error.message}`));
        }
        this.settings.notify();
      },
    });
    return reader;
  }

  /** Sends the record of a batch that failed for good to the destination, or logs it as discarded. */
  private async giveUp(
    shardId: string,
    batch: PendingBatch,
    condition: FailureCondition,
    lastOutcome: InvocationOutcome | undefined,
  ): Promise<void> {
    const { mapping, source, functionArn } = this.polled;
    const record = onFailureRecord({
      kind: source.kind,
      requestId: randomUUID(),
      functionArn,
      condition,
      batch,
      shardId,
      streamArn: source.streamArn,
      lastOutcome,
      now: new Date(),
    });
    const what = `${shardId}: ${describe(batch.records)} given up on (${condition}, ${batch.invocations} invocations)`;
    const destination = mapping.onFailure;
    if (!destination) {
      this.log(`${what}: discarded, the mapping has no on-failure destination. ${JSON.stringify(record)}`);
      return;
    }
    for (let attempt = 1; attempt <= ON_FAILURE_ATTEMPTS; attempt++) {
      try {
        await this.settings.onFailure(destination, record);
        this.log(`${what}: sent to ${destination.stackName}/${destination.logicalId}`);
        return;
      } catch (error) {
        if (attempt === ON_FAILURE_ATTEMPTS || this.settings.signal.aborted) {
          this.log(
            `${what}: LOST, the on-failure destination ${destination.logicalId} failed (${(error as Error).message}). ${JSON.stringify(record)}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.settings.retryBackoff.initialMs));
      }
    }
  }
}

function labelOf({ mapping, source }: PolledMapping): string {
  return `${withoutHash(mapping.functionLogicalId)} <- ${source.kind === 'kinesis' ? source.streamName : source.tableName}`;
}

function describeSource(source: PollerSource): string {
  return source.kind === 'kinesis'
    ? `the Kinesis stream ${source.streamName}`
    : `the stream of table ${source.tableName} (${source.streamArn})`;
}

function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

function defaultInvokeIdentityArn(functionArn: string): string {
  const [, , , , account = '000000000000', , name = 'function'] = functionArn.split(':');
  return `arn:aws:iam::${account}:role/${name}-role`;
}
