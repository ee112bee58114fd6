/**
 * What Lambda does with a batch of stream records (Kinesis, DynamoDB Streams) after each invocation:
 * pure functions, with no timers and no I/O, so that every rule can be tested on its own.
 *
 * The rules, from the Lambda developer guide ("Kinesis/DynamoDB: error handling", "partial batch
 * responses", "on-failure destinations"):
 * - A batch succeeds when the function returns, unless it reports `batchItemFailures` and the
 *   mapping has `ReportBatchItemFailures`. Then the records before the lowest failed sequence
 *   number are done, and the rest is retried. A failure with an empty, missing or unknown
 *   `itemIdentifier` (or a malformed response) fails the whole batch.
 * - A function error (thrown, timed out, crashed) fails the whole batch.
 * - With `BisectBatchOnFunctionError`, a failed batch of two records or more is split in two halves,
 *   each delivered in turn, and a partial failure splits the batch at the failed record: "Splitting
 *   batches doesn't consume the retry quota". A partial failure at the first record of the batch
 *   counts as a failure of the whole batch (nothing before it succeeded), so it is halved too.
 * - Otherwise the failed records are delivered again, which consumes one retry. Once
 *   `MaximumRetryAttempts` retries are used (-1: no limit), they go to the on-failure destination
 *   (`RetryAttemptsExhausted`) and the shard moves on.
 * - Before each delivery, records older than `MaximumRecordAgeInSeconds` go to the on-failure
 *   destination (`RecordAgeExceeded`) instead. With -1, the records' lifetime in the stream (24 h)
 *   is their limit: a shard is never blocked for longer.
 */
import type { InvokeResult } from './function-host';

/** A record read from a shard, with what Lambda puts in the event for it. */
export interface PolledRecord {
  readonly sequenceNumber: string;
  /** When the record reached the stream, in milliseconds since the epoch. */
  readonly arrivalMs: number;
  /** The record as it appears in the event's `Records`. */
  readonly event: object;
  /** The size of `event` as JSON, to keep an invocation within Lambda's payload limit. */
  readonly sizeBytes: number;
}

/** Records delivered together, and what they went through so far. */
export interface PendingBatch {
  readonly records: readonly PolledRecord[];
  /** Retries used (splitting a batch uses none). */
  readonly retries: number;
  /** Times these records were delivered to the function. */
  readonly invocations: number;
}

export interface DeliveryPolicy {
  readonly batchSize: number;
  readonly bisectOnError: boolean;
  /** -1: no limit. */
  readonly maximumRetryAttempts: number;
  /** -1: the records' lifetime in the stream. */
  readonly maximumRecordAgeSeconds: number;
  readonly reportBatchItemFailures: boolean;
}

/** How long a stream keeps a record: the retention of Kinesis (by default) and of DynamoDB Streams. */
export const STREAM_RETENTION_SECONDS = 24 * 60 * 60;
/** Lambda's limit on an invocation's payload. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** What an invocation says about the batch it was given. */
export type InvocationOutcome =
  | { readonly kind: 'success' }
  /** The records from `firstFailed` on are to be retried; the ones before it are done. */
  | { readonly kind: 'partial'; readonly firstFailed: number }
  | { readonly kind: 'failure'; readonly reason: string; readonly functionError: boolean };

/** Reads an invocation's result as Lambda reads a stream function's response. */
export function readInvocation(
  result: InvokeResult,
  records: readonly PolledRecord[],
  reportBatchItemFailures: boolean,
): InvocationOutcome {
  if (!result.ok) {
    return { kind: 'failure', reason: `${result.errorType}: ${result.errorMessage}`, functionError: true };
  }
  if (!reportBatchItemFailures) return { kind: 'success' };
  const payload = result.payload;
  if (payload === null || typeof payload !== 'object') return { kind: 'success' };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  const whole = (reason: string): InvocationOutcome => ({
    kind: 'failure',
    reason: `the function reported ${reason}: the whole batch failed`,
    functionError: false,
  });
  if (!Array.isArray(failures)) return whole('batchItemFailures that is not a list');
  if (failures.length === 0) return { kind: 'success' };
  const indexOf = new Map(records.map((record, index) => [record.sequenceNumber, index]));
  let firstFailed = records.length;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'string' || identifier === '') {
      return whole(`a batch item failure with no itemIdentifier (${JSON.stringify(failure)})`);
    }
    const index = indexOf.get(identifier);
    if (index === undefined) return whole(`the itemIdentifier ${identifier}, not a record of the batch`);
    firstFailed = Math.min(firstFailed, index);
  }
  return firstFailed === 0
    ? whole(`the first record of the batch (${identifier(records[0])}) as failed`)
    : { kind: 'partial', firstFailed };
}

function identifier(record: PolledRecord | undefined): string {
  return record?.sequenceNumber ?? 'none';
}

/** What happens after an invocation. */
export interface Verdict {
  /** Records done with, in order. */
  readonly delivered: readonly PolledRecord[];
  /** Batches to deliver next, in order, before any new record of the shard. */
  readonly next: readonly PendingBatch[];
  /** Whether `next` is a retry, to be delivered after a backoff. */
  readonly retry: boolean;
  /** Records that failed for good: they go to the on-failure destination. */
  readonly exhausted?: PendingBatch;
}

/** Applies Lambda's rules to a batch the function was just given (`batch.invocations` counts it). */
export function afterInvocation(
  batch: PendingBatch,
  outcome: InvocationOutcome,
  policy: DeliveryPolicy,
): Verdict {
  const { records, retries, invocations } = batch;
  if (outcome.kind === 'success') return { delivered: records, next: [], retry: false };
  if (outcome.kind === 'partial') {
    const delivered = records.slice(0, outcome.firstFailed);
    const rest: PendingBatch = { records: records.slice(outcome.firstFailed), retries, invocations };
    if (policy.bisectOnError) return { delivered, next: [rest], retry: false };
    return { delivered, ...retried(rest, policy) };
  }
  if (policy.bisectOnError && records.length > 1) {
    const middle = Math.ceil(records.length / 2);
    return {
      delivered: [],
      next: [
        { records: records.slice(0, middle), retries, invocations },
        { records: records.slice(middle), retries, invocations },
      ],
      retry: false,
    };
  }
  return { delivered: [], ...retried(batch, policy) };
}

function retried(batch: PendingBatch, policy: DeliveryPolicy): Omit<Verdict, 'delivered'> {
  const retries = batch.retries + 1;
  if (policy.maximumRetryAttempts !== -1 && retries > policy.maximumRetryAttempts) {
    return { next: [], retry: false, exhausted: batch };
  }
  return { next: [{ ...batch, retries }], retry: true };
}

/** Splits off the records too old to deliver: the oldest ones, as a shard keeps them in order. */
export function splitExpired(
  records: readonly PolledRecord[],
  nowMs: number,
  maximumRecordAgeSeconds: number,
): { readonly expired: readonly PolledRecord[]; readonly fresh: readonly PolledRecord[] } {
  const maximumAgeMs =
    (maximumRecordAgeSeconds === -1 ? STREAM_RETENTION_SECONDS : maximumRecordAgeSeconds) * 1000;
  let count = 0;
  while (count < records.length && nowMs - (records[count]?.arrivalMs ?? nowMs) > maximumAgeMs) count++;
  return { expired: records.slice(0, count), fresh: records.slice(count) };
}

/**
 * Whether the records read so far are delivered now: once they fill a batch, once the batching
 * window (which starts with the first of them) has elapsed, or once the shard has ended.
 */
export function batchReady(input: {
  readonly buffered: number;
  readonly batchSize: number;
  readonly windowStartMs: number;
  readonly batchingWindowMs: number;
  readonly nowMs: number;
  readonly shardEnded: boolean;
}): boolean {
  if (input.buffered === 0) return false;
  return (
    input.buffered >= input.batchSize ||
    input.nowMs - input.windowStartMs >= input.batchingWindowMs ||
    input.shardEnded
  );
}

/** How many of the buffered records make the next batch: at most `batchSize`, within 6 MB. */
export function nextBatchLength(buffer: readonly PolledRecord[], batchSize: number): number {
  let bytes = 0;
  let count = 0;
  for (const record of buffer) {
    if (count === batchSize) break;
    bytes += record.sizeBytes;
    if (bytes > MAX_PAYLOAD_BYTES && count > 0) break;
    count++;
  }
  return count;
}

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The wait before a retry: doubling from `initialMs`, at most `maxMs`. */
export function retryDelayMs(retries: number, backoff: RetryBackoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, retries - 1));
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The batch of an on-failure record, named as Lambda names it per source. */
export interface BatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/** The document Lambda sends to an on-failure destination for records it gives up on. */
export interface OnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: FailureCondition;
    readonly approximateInvokeCount: number;
  };
  /** The last invocation's response; absent when the records were never delivered. */
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** `Unhandled` when the function failed, absent when it reported batch item failures. */
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo?: BatchInfo;
  readonly DDBStreamBatchInfo?: BatchInfo;
}

export interface OnFailureRecordInput {
  readonly kind: 'kinesis' | 'dynamodb';
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: FailureCondition;
  readonly batch: PendingBatch;
  readonly shardId: string;
  readonly streamArn: string;
  /** The last outcome of these records, if they were delivered. */
  readonly lastOutcome?: InvocationOutcome;
  readonly now: Date;
}

export function onFailureRecord(input: OnFailureRecordInput): OnFailureRecord {
  const { records, invocations } = input.batch;
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) throw new Error('an on-failure record needs at least one record');
  const info: BatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
    batchSize: records.length,
    streamArn: input.streamArn,
  };
  const functionError = input.lastOutcome?.kind === 'failure' && input.lastOutcome.functionError;
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: invocations,
    },
    ...(input.lastOutcome && {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(functionError && { functionError: 'Unhandled' }),
      },
    }),
    version: '1.0',
    timestamp: input.now.toISOString(),
    ...(input.kind === 'kinesis' ? { KinesisBatchInfo: info } : { DDBStreamBatchInfo: info }),
  };
}
