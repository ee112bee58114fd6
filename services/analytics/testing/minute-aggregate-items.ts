import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  comparableSequenceNumber,
  expiryOf,
  minutePartitionKey,
  productSortKey,
  TOTALS_SORT_KEY,
  type ProductCounter,
  type TotalCounter,
} from '../domain/minute-aggregates';

/**
 * AnalyticsTable items as the ClickstreamProcessor writes them (minute-aggregates.ts), for tests
 * that read them back. Keys come from the contract's functions only; session buckets are the
 * strings `'0'` to `'65535'`, as the processor hashes session ids.
 */

type Item = Record<string, unknown>;

/** What the writer keeps beside the counters: the batches already counted, and the expiry. */
function bookkeeping(minute: Date): Item {
  return {
    appliedBatches: {
      'shardId-000000000000': comparableSequenceNumber(
        '49590338271490256608559692538361571095921575989136588898',
      ),
    },
    expiresAt: expiryOf(minute),
  };
}

/**
 * The `TOTALS` item of `minute` with `counters` (the others left out, as before their first
 * event) and `sessionBuckets` distinct buckets (the attribute left out when 0: DynamoDB stores no
 * empty set).
 */
export function totalsItem(
  minute: Date,
  counters: Partial<Record<TotalCounter, number>>,
  sessionBuckets = 0,
): Item {
  return {
    pk: minutePartitionKey(minute),
    sk: TOTALS_SORT_KEY,
    ...counters,
    ...(sessionBuckets > 0 && {
      sessionBuckets: new Set(Array.from({ length: sessionBuckets }, (_, bucket) => String(bucket))),
    }),
    ...bookkeeping(minute),
  };
}

/** The `PRODUCT#<productId>` item of `minute` with `counters` (the others left out). */
export function productItem(
  minute: Date,
  productId: string,
  counters: Partial<Record<ProductCounter, number>>,
): Item {
  return {
    pk: minutePartitionKey(minute),
    sk: productSortKey(productId),
    ...counters,
    ...bookkeeping(minute),
  };
}

/** Writes `items` to `tableName`, 25 at a time, until DynamoDB has processed every one. */
export async function writeItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}
