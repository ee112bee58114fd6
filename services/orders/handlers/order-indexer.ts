/**
 * The order indexer keeps the order search index in step with OrdersTable. It runs on the table's
 * stream (NEW_AND_OLD_IMAGES). An INSERT or MODIFY writes the new image to the index, and a REMOVE
 * deletes the order. Each batch makes at most one bulk index call and one bulk delete call.
 *
 * Failures are reported per record (`batchItemFailures`). The infra's event source mapping
 * reports batch item failures, bisects a failing batch, bounds the retries (`retryAttempts`) and
 * names an SQS on-failure destination (the DLQ). Lambda retries a reported record and, once the
 * retries run out, sends its details to the DLQ. Those details are the shard, the sequence numbers
 * and the stream ARN, not the images. That is why this function logs each poison record's reason
 * and keys.
 * - The index could not write an order for now (throttled, a shard down): the record is reported,
 *   and a retry may succeed.
 * - A poison record (unreadable, not an order, or a document the index rejects) is logged at error
 *   level with its reason and counted in `OrdersQuarantined`. It is reported too, so that after the
 *   bounded retries it lands in the DLQ instead of holding up the shard.
 * - The search engine is unavailable: every record of the batch is reported.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { searchIndexFromEnvironment } from '../../search/search-index-from-environment';
import {
  SearchUnavailableError,
  type BulkWriteResult,
  type OrderDocument,
  type SearchIndex,
} from '../../search/search-index';
import { observability, type Observability } from '../../shared/powertools';

/**
 * The fields of an order item in OrdersTable that the index holds. Every other attribute (the
 * shipping address, the idempotency key and hash, line prices) is dropped, never indexed.
 */
const indexedOrder = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  total: z.int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  items: z.array(
    z.object({ productId: z.string().min(1), name: z.string().min(1), quantity: z.int().positive() }),
  ),
});

const orderKey = z.object({ orderId: z.string().min(1) });

/** What one stream record asks of the index. */
type Change =
  | { readonly kind: 'upsert'; readonly orderId: string; readonly order: OrderDocument }
  | { readonly kind: 'delete'; readonly orderId: string }
  | { readonly kind: 'poison'; readonly reason: string };

/** Why a record is reported as a batch item failure. */
class OrderNotIndexedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'OrderNotIndexedError';
  }
}

const NOTHING_WRITTEN: BulkWriteResult = { failed: [] };
const moduleObservability = observability();

/**
 * The stream handler, writing to `searchIndex`. Tests and the local platform call it with the
 * embedded index; the deployed function gets its index from the environment (`handler`).
 */
export function createOrderIndexer(searchIndex: SearchIndex, tools: Observability = moduleObservability) {
  const { logger, metrics, tracer } = tools;
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const notIndexed = await indexChanges(event.Records, searchIndex, tools);
      // A processor per invocation: it holds the records of the batch it is working on.
      const processor = new BatchProcessor(EventType.DynamoDBStreams);
      const reportIfNotIndexed = async (record: DynamoDBRecord) => {
        const reason = notIndexed.get(record);
        if (reason !== undefined) throw new OrderNotIndexedError(reason);
      };
      return processPartialResponse(event, reportIfNotIndexed, processor, {
        context,
        // A batch that failed whole is reported record by record too, not thrown.
        throwOnFullBatchFailure: false,
      });
    });
}

let deployedIndexer: ReturnType<typeof createOrderIndexer> | undefined;

/**
 * The Lambda entry point. Its search index comes from the environment (`OPENSEARCH_ENDPOINT`, or
 * `SEARCH_BACKEND=local` with `LOCAL_SEARCH_URL` on the local platform). It is read once, on the
 * first invocation rather than at import, so that tests and the local platform can import `createOrderIndexer` without setting it. A missing
 * or invalid variable still fails that invocation loudly, naming the variable.
 */
export const handler = (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  deployedIndexer ??= createOrderIndexer(searchIndexFromEnvironment());
  return deployedIndexer(event, context);
};

/**
 * Applies the batch's changes to the index. Returns each record that must be reported, with the
 * reason. The stream orders the changes of one order, so the last readable change to an order in
 * the batch is its current state (a poison record supersedes nothing). Earlier changes to it are
 * not written: they succeed with it, or are retried after it, as a retry restarts at the lowest
 * sequence number reported.
 */
async function indexChanges(
  records: readonly DynamoDBRecord[],
  searchIndex: SearchIndex,
  { logger, metrics }: Observability,
): Promise<Map<DynamoDBRecord, string>> {
  const changes = records.map((record) => ({ record, change: changeOf(record) }));
  const latestByOrder = new Map<string, { record: DynamoDBRecord; change: Change }>();
  for (const entry of changes) {
    if (entry.change.kind !== 'poison') latestByOrder.set(entry.change.orderId, entry);
  }
  const latest = [...latestByOrder.values()].map(({ change }) => change);
  const upserts = latest.flatMap((change) => (change.kind === 'upsert' ? [change.order] : []));
  const deletes = latest.flatMap((change) => (change.kind === 'delete' ? [change.orderId] : []));

  let indexed: BulkWriteResult;
  let removed: BulkWriteResult;
  try {
    [indexed, removed] = await Promise.all([
      upserts.length > 0 ? searchIndex.indexOrders(upserts) : NOTHING_WRITTEN,
      deletes.length > 0 ? searchIndex.deleteOrders(deletes) : NOTHING_WRITTEN,
    ]);
  } catch (error) {
    if (!(error instanceof SearchUnavailableError)) throw error;
    logger.warn('Search is unavailable: every record of the batch will be retried', error);
    return new Map(records.map((record) => [record, `search is unavailable: ${error.message}`]));
  }

  const notIndexed = new Map<DynamoDBRecord, string>();
  let quarantined = 0;
  const quarantine = (record: DynamoDBRecord, reason: string) => {
    logger.error('Order change quarantined: it goes to the dead-letter queue once its retries run out', {
      reason,
      eventID: record.eventID,
      eventName: record.eventName,
      sequenceNumber: record.dynamodb?.SequenceNumber,
      keys: record.dynamodb?.Keys,
    });
    notIndexed.set(record, reason);
    quarantined += 1;
  };
  for (const { record, change } of changes) {
    if (change.kind === 'poison') quarantine(record, change.reason);
  }
  for (const failure of [...indexed.failed, ...removed.failed]) {
    const record = latestByOrder.get(failure.id)?.record;
    if (!record) continue; // not an order of this batch: no record to report
    if (failure.retryable) {
      logger.warn('Order not indexed for now: it will be retried', {
        orderId: failure.id,
        reason: failure.reason,
      });
      notIndexed.set(record, failure.reason);
    } else {
      quarantine(record, `the search index rejected the order: ${failure.reason}`);
    }
  }

  metrics.addMetric('OrdersIndexed', MetricUnit.Count, upserts.length - indexed.failed.length);
  metrics.addMetric('OrdersQuarantined', MetricUnit.Count, quarantined);
  logger.info('Order changes applied to the search index', {
    records: records.length,
    indexed: upserts.length - indexed.failed.length,
    removed: deletes.length - removed.failed.length,
    quarantined,
    toRetry: notIndexed.size - quarantined,
  });
  return notIndexed;
}

/** Reads one stream record. Never throws: a record it cannot turn into a change is poison. */
function changeOf(record: DynamoDBRecord): Change {
  try {
    if (record.eventName === 'REMOVE') {
      const key = orderKey.safeParse(unmarshallImage(record.dynamodb?.Keys ?? record.dynamodb?.OldImage));
      return key.success
        ? { kind: 'delete', orderId: key.data.orderId }
        : { kind: 'poison', reason: `the removed item has no order id: ${z.prettifyError(key.error)}` };
    }
    if (record.eventName === 'INSERT' || record.eventName === 'MODIFY') {
      const order = indexedOrder.safeParse(unmarshallImage(record.dynamodb?.NewImage));
      return order.success
        ? { kind: 'upsert', orderId: order.data.orderId, order: order.data }
        : { kind: 'poison', reason: `the new image is not a valid order: ${z.prettifyError(order.error)}` };
    }
    return { kind: 'poison', reason: `unknown event name ${String(record.eventName)}` };
  } catch (error) {
    return { kind: 'poison', reason: `the record cannot be read: ${(error as Error).message}` };
  }
}

function unmarshallImage(
  image: NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
): Record<string, unknown> {
  if (!image) throw new Error('the record has no image (is the stream view type NEW_AND_OLD_IMAGES?)');
  return unmarshall(image as Parameters<typeof unmarshall>[0]);
}
