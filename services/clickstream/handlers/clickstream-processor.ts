/**
 * The ClickstreamProcessor: reads shop events from the clickstream stream (Kinesis) and sends them
 * to the analytics lake (Firehose), to the recommender (Personalize, best effort) and into the
 * per-minute live aggregates (AnalyticsTable). Invalid records go to an S3 quarantine.
 * `processClickstreamBatch` (../domain) says what happens to each record and why.
 *
 * Failures are reported per record (`batchItemFailures`): Lambda delivers a reported record, and
 * every later one of its shard, again. Retries are safe: the aggregates count each record once,
 * and the lake (at least once) is deduplicated by event id downstream. The infra's event source
 * mapping must report batch item failures, bisect on error, bound the retries, name an on-failure
 * destination, and keep the parallelization factor at 1 (see DynamoDbLiveAggregates).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { observability, type Observability } from '../../shared/powertools';
import { processClickstreamBatch, type BatchOutcome } from '../domain/process-clickstream-batch';
import type { ClickstreamSinks } from '../domain/ports';
import type { StreamRecord } from '../domain/stream-record';
import { clickstreamConfigFrom } from './clickstream-config';
import { awsClickstreamClients, createClickstreamSinks } from './clickstream-sinks';

/** Why a record is reported as a batch item failure. */
class ClickstreamRecordNotProcessedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ClickstreamRecordNotProcessedError';
  }
}

/** Per-type business metrics for the live dashboard, from what each batch newly counted. */
const BUSINESS_METRICS = {
  pageViews: 'PageViews',
  productViews: 'ProductViews',
  searches: 'Searches',
  addToCarts: 'AddToCarts',
  removeFromCarts: 'RemoveFromCarts',
  checkouts: 'Checkouts',
  purchases: 'Purchases',
  /** In cents. */
  revenue: 'Revenue',
} as const;

/** Failed records named in one log line, at most. */
const FAILURES_LOGGED = 20;

export interface ClickstreamProcessorDependencies {
  readonly sinks: ClickstreamSinks;
  /** @default the module's Powertools logger, metrics and tracer */
  readonly tools?: Observability;
}

const moduleObservability = observability();

/** The stream handler, on the given sinks. Tests and the local platform call it with local clients. */
export function createClickstreamProcessor({
  sinks,
  tools = moduleObservability,
}: ClickstreamProcessorDependencies) {
  const { logger, metrics, tracer } = tools;
  return middy<KinesisStreamEvent, KinesisStreamBatchResponse>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const outcome = await processClickstreamBatch(event.Records.map(streamRecordOf), sinks);
      report(outcome, event.Records.length, tools);
      // A processor per invocation: it holds the records of the batch it is working on.
      const processor = new BatchProcessor(EventType.KinesisDataStreams);
      const reportIfNotProcessed = async (record: KinesisStreamRecord) => {
        const reason = outcome.failed.get(record.kinesis.sequenceNumber);
        if (reason !== undefined) throw new ClickstreamRecordNotProcessedError(reason);
      };
      return processPartialResponse(event, reportIfNotProcessed, processor, {
        context,
        // A batch that failed whole is reported record by record too, not thrown.
        throwOnFullBatchFailure: false,
      });
    });
}

let deployedProcessor: ReturnType<typeof createClickstreamProcessor> | undefined;

/**
 * The Lambda entry point. Its configuration (FIREHOSE_STREAM_NAME, ANALYTICS_TABLE_NAME,
 * PERSONALIZE_TRACKING_ID, QUARANTINE_BUCKET_NAME) is read on the first invocation rather than at
 * import, so that tests and the local platform can import `createClickstreamProcessor` without
 * setting it. A missing or invalid variable fails that invocation loudly, naming the variable.
 */
export const handler = async (
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> => {
  deployedProcessor ??= createClickstreamProcessor({
    sinks: createClickstreamSinks(clickstreamConfigFrom(), awsClickstreamClients(moduleObservability)),
  });
  return deployedProcessor(event, context);
};

/** A Lambda Kinesis record as the domain reads it. `eventID` is `<shard id>:<sequence number>`. */
function streamRecordOf(record: KinesisStreamRecord): StreamRecord {
  return {
    shardId: record.eventID.slice(0, record.eventID.lastIndexOf(':')),
    sequenceNumber: record.kinesis.sequenceNumber,
    partitionKey: record.kinesis.partitionKey,
    data: record.kinesis.data,
    arrivedAt: new Date(record.kinesis.approximateArrivalTimestamp * 1000),
  };
}

function report(outcome: BatchOutcome, records: number, { logger, metrics }: Observability): void {
  metrics.addMetric('ClickstreamEventsProcessed', MetricUnit.Count, outcome.events);
  metrics.addMetric('ClickstreamEventsQuarantined', MetricUnit.Count, outcome.quarantined);
  metrics.addMetric('ClickstreamBotEvents', MetricUnit.Count, outcome.botEvents);
  metrics.addMetric('ClickstreamRecordsRetried', MetricUnit.Count, outcome.failed.size);
  for (const [counter, metric] of Object.entries(BUSINESS_METRICS)) {
    metrics.addMetric(metric, MetricUnit.Count, outcome.newlyCounted[counter] ?? 0);
  }
  if (outcome.interactions.sent > 0) {
    metrics.addMetric('PersonalizeEventsFailed', MetricUnit.Count, outcome.interactions.failed);
  }
  if (outcome.interactions.failed > 0) {
    logger.warn(
      'Personalize did not take some interactions: they are lost (best effort), the batch goes on',
      {
        failed: outcome.interactions.failed,
        sent: outcome.interactions.sent,
        reason: outcome.interactions.reason,
      },
    );
  }
  if (outcome.failed.size > 0) {
    logger.warn('Some records could not be processed: Lambda will deliver them again', {
      failedRecords: outcome.failed.size,
      failures: [...outcome.failed]
        .slice(0, FAILURES_LOGGED)
        .map(([sequenceNumber, reason]) => ({ sequenceNumber, reason })),
    });
  }
  logger.info('Clickstream batch processed', {
    records,
    events: outcome.events,
    duplicates: outcome.duplicates,
    botEvents: outcome.botEvents,
    delivered: outcome.delivered,
    userActivities: outcome.userActivities,
    quarantined: outcome.quarantined,
    newlyCounted: outcome.newlyCounted,
    toRetry: outcome.failed.size,
  });
}
