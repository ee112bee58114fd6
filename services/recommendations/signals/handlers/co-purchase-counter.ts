/**
 * The co-purchase counter keeps the `bought-together` signal: for every new order on the
 * OrdersTable stream, how many orders held each pair of its products (AnalyticsTable, layout in
 * ../domain/co-purchases.ts). Only INSERTs count: an order is placed once, and an update or a
 * removal of an order (MODIFY, REMOVE) changes nothing of what was bought together.
 *
 * Failures are reported per record (`batchItemFailures`). The infra's event source mapping
 * reports batch item failures, bisects a failing batch, bounds the retries and names an SQS
 * on-failure destination (the DLQ), as for the order indexer. Lambda delivers a reported record,
 * and every later record of its shard, again; that is safe, because each order is counted in one
 * transaction with a marker that makes a second delivery a no-op.
 * - The counts could not be written for now (throttled, conflicts that would not clear): the
 *   record is reported, and a retry may succeed.
 * - A poison record (unreadable, or an INSERT whose new image is not an order) is logged at error
 *   level with its reason and keys, and counted in `CoPurchaseRecordsQuarantined`. It is reported
 *   too, so that after the bounded retries it lands in the DLQ (which keeps only the shard and
 *   sequence numbers, hence the log line) instead of holding up the shard.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { documentClient } from '../../../shared/dynamodb';
import { loadEnvironment } from '../../../shared/environment';
import { observability, type Observability } from '../../../shared/powertools';
import { DynamoDbCoPurchaseCounts } from '../adapters/dynamodb-co-purchase-counts';
import { countCoPurchases, type ChangeOutcome, type OrderChange } from '../domain/count-co-purchases';
import type { CoPurchaseCounts } from '../domain/ports';

/** The counter's environment, as the infra sets it. */
export const coPurchaseCounterEnvironment = z.object({
  /** The table the co-purchase counts (and the markers of counted orders) are written to. */
  ANALYTICS_TABLE_NAME: z.string().min(3),
});

/** What the counter reads of an order item of OrdersTable: its id and its lines' products. */
const placedOrder = z.object({
  orderId: z.string().min(1),
  items: z.array(z.object({ productId: z.string().min(1) })).min(1),
});

/** Why a record is reported as a batch item failure. */
class CoPurchasesNotCountedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CoPurchasesNotCountedError';
  }
}

export interface CoPurchaseCounterDependencies {
  readonly counts: CoPurchaseCounts;
  /** @default the module's Powertools logger, metrics and tracer */
  readonly tools?: Observability;
  /** @default the system clock */
  readonly clock?: () => Date;
}

const moduleObservability = observability();

/** The stream handler, on the given counts. Tests and the local platform call it with local clients. */
export function createCoPurchaseCounter({
  counts,
  tools = moduleObservability,
  clock = () => new Date(),
}: CoPurchaseCounterDependencies) {
  const { logger, metrics, tracer } = tools;
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const outcomes = await countCoPurchases(event.Records.map(changeOf), counts, { now: clock() });
      const notCounted = report(event.Records, outcomes, tools);
      // A processor per invocation: it holds the records of the batch it is working on.
      const processor = new BatchProcessor(EventType.DynamoDBStreams);
      const reportIfNotCounted = async (record: DynamoDBRecord) => {
        const reason = notCounted.get(record);
        if (reason !== undefined) throw new CoPurchasesNotCountedError(reason);
      };
      return processPartialResponse(event, reportIfNotCounted, processor, {
        context,
        // A batch that failed whole is reported record by record too, not thrown.
        throwOnFullBatchFailure: false,
      });
    });
}

let deployedCounter: ReturnType<typeof createCoPurchaseCounter> | undefined;

/**
 * The Lambda entry point. Its configuration (ANALYTICS_TABLE_NAME) is read on the first invocation
 * rather than at import, so that tests and the local platform can import `createCoPurchaseCounter`
 * without setting it. A missing or invalid variable fails that invocation loudly, naming it.
 */
export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  if (!deployedCounter) {
    const { ANALYTICS_TABLE_NAME } = loadEnvironment(coPurchaseCounterEnvironment);
    deployedCounter = createCoPurchaseCounter({
      counts: new DynamoDbCoPurchaseCounts({
        documents: documentClient(moduleObservability.tracer.captureAWSv3Client(new DynamoDBClient({}))),
        tableName: ANALYTICS_TABLE_NAME,
      }),
    });
  }
  return deployedCounter(event, context);
};

/** Reads one stream record. Never throws: a record it cannot read is poison. */
function changeOf(record: DynamoDBRecord): OrderChange {
  if (record.eventName === 'MODIFY' || record.eventName === 'REMOVE') return { kind: 'ignored' };
  if (record.eventName !== 'INSERT') {
    return { kind: 'poison', reason: `unknown event name ${String(record.eventName)}` };
  }
  try {
    const image = record.dynamodb?.NewImage;
    if (!image)
      return {
        kind: 'poison',
        reason: 'the INSERT has no new image (is the stream view type NEW_IMAGE or NEW_AND_OLD_IMAGES?)',
      };
    const order = placedOrder.safeParse(unmarshall(image as Parameters<typeof unmarshall>[0]));
    return order.success
      ? {
          kind: 'placed',
          order: { orderId: order.data.orderId, productIds: order.data.items.map((item) => item.productId) },
        }
      : { kind: 'poison', reason: `the new image is not a valid order: ${z.prettifyError(order.error)}` };
  } catch (error) {
    return { kind: 'poison', reason: `the record cannot be read: ${(error as Error).message}` };
  }
}

/** Logs and measures the batch; returns each record to report, with the reason. */
function report(
  records: readonly DynamoDBRecord[],
  outcomes: readonly ChangeOutcome[],
  { logger, metrics }: Observability,
): Map<DynamoDBRecord, string> {
  const notCounted = new Map<DynamoDBRecord, string>();
  const tally = {
    counted: 0,
    alreadyCounted: 0,
    noPairs: 0,
    ignored: 0,
    quarantined: 0,
    toRetry: 0,
    pairs: 0,
  };
  outcomes.forEach((outcome, index) => {
    const record = records[index];
    if (!record) return;
    switch (outcome.kind) {
      case 'counted':
        tally.counted += 1;
        tally.pairs += outcome.pairs;
        if (outcome.leftOut > 0) {
          logger.info('Order too large to count whole: only its first products are paired', {
            orderId: outcome.orderId,
            leftOut: outcome.leftOut,
          });
        }
        break;
      case 'already-counted':
        tally.alreadyCounted += 1;
        break;
      case 'no-pairs':
        tally.noPairs += 1;
        break;
      case 'ignored':
        tally.ignored += 1;
        break;
      case 'poison':
        logger.error('Order record quarantined: it goes to the dead-letter queue once its retries run out', {
          reason: outcome.reason,
          eventID: record.eventID,
          eventName: record.eventName,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          keys: record.dynamodb?.Keys,
        });
        tally.quarantined += 1;
        notCounted.set(record, outcome.reason);
        break;
      case 'failed':
        logger.warn('Co-purchases not counted for now: the record will be retried', {
          orderId: outcome.orderId,
          reason: outcome.reason,
        });
        tally.toRetry += 1;
        notCounted.set(record, outcome.reason);
        break;
    }
  });
  metrics.addMetric('CoPurchaseOrdersCounted', MetricUnit.Count, tally.counted);
  metrics.addMetric('CoPurchasePairsCounted', MetricUnit.Count, tally.pairs);
  metrics.addMetric('CoPurchaseRecordsQuarantined', MetricUnit.Count, tally.quarantined);
  metrics.addMetric('CoPurchaseRecordsRetried', MetricUnit.Count, tally.toRetry);
  logger.info('Order changes applied to the co-purchase counts', { records: records.length, ...tally });
  return notCounted;
}
