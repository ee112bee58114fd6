/**
 * How live clickstream aggregates are kept in AnalyticsTable: the contract between the
 * ClickstreamProcessor, which writes them, and the real-time analytics API, which reads them.
 *
 * One partition per UTC minute in which API Gateway received the events (server time, not the
 * browser's clock), `pk = MINUTE#2026-11-25T20:34`:
 * - `sk = TOTALS`: the minute's counters (`TOTAL_COUNTERS`), revenue in cents, and `sessionBuckets`,
 *   a string set of hashed session ids from which distinct sessions are estimated;
 * - `sk = PRODUCT#<productId>`: that product's counters (`PRODUCT_COUNTERS`).
 * Every item carries `appliedBatches`, a map from stream shard id to the last sequence number whose
 * batch it already counts (zero-padded, so that strings compare as numbers), which makes a replayed
 * batch a no-op, and `expiresAt` (epoch seconds) for DynamoDB TTL.
 */

export const TOTALS_SORT_KEY = 'TOTALS';
export const PRODUCT_SORT_KEY_PREFIX = 'PRODUCT#';
/** Aggregates older than this are deleted by DynamoDB TTL. */
export const AGGREGATE_RETENTION_DAYS = 7;

export const TOTAL_COUNTERS = [
  'pageViews',
  'productViews',
  'searches',
  'addToCarts',
  'removeFromCarts',
  'checkouts',
  'purchases',
  'revenue',
] as const;
export type TotalCounter = (typeof TOTAL_COUNTERS)[number];

export const PRODUCT_COUNTERS = ['views', 'addToCarts', 'purchases'] as const;
export type ProductCounter = (typeof PRODUCT_COUNTERS)[number];

/** The partition key of the minute that `time` falls in. */
export function minutePartitionKey(time: Date): string {
  return `MINUTE#${minuteOf(time)}`;
}

/** `2026-11-25T20:34`: the UTC minute of `time`. */
export function minuteOf(time: Date): string {
  return time.toISOString().slice(0, 16);
}

export function productSortKey(productId: string): string {
  return `${PRODUCT_SORT_KEY_PREFIX}${productId}`;
}

/** When an aggregate of `minute` expires, in epoch seconds. */
export function expiryOf(minute: Date): number {
  return Math.floor(minute.getTime() / 1000) + AGGREGATE_RETENTION_DAYS * 24 * 3600;
}

/**
 * Distinct sessions are estimated by linear counting: each session id is hashed into one of
 * `SESSION_BUCKETS` buckets (the decimal bucket number, as a string), a minute's item keeps the set
 * of buckets seen (adding to a set is idempotent, so replays do not count twice), and the count of
 * distinct sessions is estimated from how many buckets are still empty. 4,096 buckets keep a busy
 * minute's item under about 20 KB (DynamoDB bills reads and writes by item size, and caps items at
 * 400 KB) and the estimate within a few percent up to about 10,000 sessions a minute.
 */
export const SESSION_BUCKETS = 2 ** 12;

/** The distinct-session estimate for `occupiedBuckets` buckets seen. */
export function estimateDistinctSessions(occupiedBuckets: number): number {
  if (occupiedBuckets <= 0) return 0;
  if (occupiedBuckets >= SESSION_BUCKETS) return SESSION_BUCKETS;
  return Math.round(-SESSION_BUCKETS * Math.log(1 - occupiedBuckets / SESSION_BUCKETS));
}

/** A Kinesis sequence number as a fixed-width string, so that string order is numeric order. */
export function comparableSequenceNumber(sequenceNumber: string): string {
  return sequenceNumber.padStart(128, '0');
}
