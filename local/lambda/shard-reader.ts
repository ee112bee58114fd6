/**
 * Reads one shard for one event source mapping, as Lambda's poller does: in order, one batch at a
 * time, retrying, splitting and giving up on failed batches by the rules of batch-delivery.ts.
 * Positions are kept in memory only: a restarted platform reads from the mapping's starting position.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { InvokeResult } from './function-host';
import {
  afterInvocation,
  batchReady,
  nextBatchLength,
  readInvocation,
  retryDelayMs,
  splitExpired,
  type DeliveryPolicy,
  type FailureCondition,
  type InvocationOutcome,
  type PendingBatch,
  type PolledRecord,
  type RetryBackoff,
} from './batch-delivery';
import type { ShardPosition, StreamShards } from './stream-shards';

export interface ShardReaderProps {
  readonly shardId: string;
  readonly stream: StreamShards;
  /** Where reading starts, and an iterator already there. */
  readonly start: { readonly position: ShardPosition; readonly iterator: string };
  readonly policy: DeliveryPolicy & { readonly batchingWindowMs: number };
  /** Delivers records to the function, as one event. */
  readonly invoke: (records: readonly PolledRecord[]) => Promise<InvokeResult>;
  /** Records that failed for good. */
  readonly giveUp: (
    batch: PendingBatch,
    condition: FailureCondition,
    lastOutcome: InvocationOutcome | undefined,
  ) => Promise<void>;
  readonly pollIntervalMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
  /** Called when it caught up with its shard or finished it. */
  readonly onProgress: () => void;
}

/** The pause after a call to the stream failed (the emulator is restarting, say), before the next. */
const STREAM_ERROR_PAUSE_MS = 1_000;

/** A batch waiting for its turn: retries wait for their backoff. */
interface Queued {
  readonly batch: PendingBatch;
  readonly notBefore: number;
  readonly lastOutcome?: InvocationOutcome;
}

export class ShardReader {
  /** When the last read that found the shard empty, with nothing left to deliver, started. */
  private caughtUpAt = -Infinity;
  private finishedShard = false;
  private iterator: string | undefined;
  private lastRead: ShardPosition;
  private readonly buffer: PolledRecord[] = [];
  /** When the oldest buffered record was read: the batching window starts then. */
  private windowStart = 0;
  private readonly queue: Queued[] = [];
  /** Resolves when the reader stops (on abort, or at the end of a closed shard). */
  readonly done: Promise<void>;

  constructor(private readonly props: ShardReaderProps) {
    this.iterator = props.start.iterator;
    this.lastRead = props.start.position;
    this.done = this.run();
  }

  get shardId(): string {
    return this.props.shardId;
  }

  /** Whether a closed shard was read and delivered to its end. */
  get finished(): boolean {
    return this.finishedShard;
  }

  /** Whether every record written to the shard before `sinceMs` was delivered or given up on. */
  caughtUpSince(sinceMs: number): boolean {
    return this.finishedShard || this.caughtUpAt >= sinceMs;
  }

  private get stopped(): boolean {
    return this.props.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.finishedShard) {
      try {
        await this.step();
      } catch (error) {
        if (this.stopped) return;
        this.props.log(`${this.props.shardId}: unexpected error, going on: ${(error as Error).stack}`);
        await this.sleep(this.props.retryBackoff.maxMs);
      }
    }
  }

  private async step(): Promise<void> {
    const { policy } = this.props;
    const queued = this.queue[0];
    if (queued) {
      const wait = queued.notBefore - Date.now();
      if (wait > 0) return this.sleep(wait);
      this.queue.shift();
      return this.deliver(queued);
    }
    const ready = batchReady({
      buffered: this.buffer.length,
      batchSize: policy.batchSize,
      windowStartMs: this.windowStart,
      batchingWindowMs: policy.batchingWindowMs,
      nowMs: Date.now(),
      shardEnded: !this.iterator,
    });
    if (ready) {
      // Records left over from a full batch have waited their window already.
      const records = this.buffer.splice(0, nextBatchLength(this.buffer, policy.batchSize));
      return this.deliver({ batch: { records, retries: 0, invocations: 0 }, notBefore: 0 });
    }
    if (!this.iterator) {
      this.finishedShard = true;
      this.props.log(`${this.props.shardId}: closed shard read to its end`);
      this.props.onProgress();
      return;
    }
    await this.read(this.iterator);
  }

  private async read(iterator: string): Promise<void> {
    const startedAt = Date.now();
    let read;
    try {
      read = await this.props.stream.read(this.props.shardId, iterator);
    } catch (error) {
      if (this.stopped) return;
      const name = (error as Error).name;
      if (name !== 'ExpiredIteratorException') {
        this.props.log(
          `${this.props.shardId}: GetRecords failed, reading again: ${name}: ${(error as Error).message}`,
        );
        await this.sleep(STREAM_ERROR_PAUSE_MS);
      }
      await this.reposition();
      return;
    }
    this.iterator = read.nextIterator;
    const last = read.records[read.records.length - 1];
    if (last) {
      if (this.buffer.length === 0) this.windowStart = Date.now();
      this.buffer.push(...read.records);
      this.lastRead = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber };
      return;
    }
    if (this.buffer.length === 0 && this.queue.length === 0 && (read.behindLatestMs ?? 0) === 0) {
      this.caughtUpAt = startedAt;
      this.props.onProgress();
    }
    if (!this.iterator) return;
    const windowLeft = this.windowStart + this.props.policy.batchingWindowMs - Date.now();
    await this.sleep(
      this.buffer.length > 0 ? Math.min(windowLeft, this.props.pollIntervalMs) : this.props.pollIntervalMs,
    );
  }

  /** A new iterator after the last record read (an iterator expires after 5 minutes). */
  private async reposition(): Promise<void> {
    while (!this.stopped) {
      try {
        this.iterator = await this.props.stream.iterator(this.props.shardId, this.lastRead);
        return;
      } catch (error) {
        this.props.log(
          `${this.props.shardId}: GetShardIterator failed, trying again: ${(error as Error).message}`,
        );
        await this.sleep(STREAM_ERROR_PAUSE_MS);
      }
    }
  }

  private async deliver({ batch, lastOutcome }: Queued): Promise<void> {
    const { policy, log, shardId } = this.props;
    const { expired, fresh } = splitExpired(batch.records, Date.now(), policy.maximumRecordAgeSeconds);
    if (expired.length > 0) {
      await this.props.giveUp({ ...batch, records: expired }, 'RecordAgeExceeded', lastOutcome);
      if (fresh.length === 0) return;
    }
    const records = fresh;
    const result = await this.invoke(records);
    if (!result) return; // stopped: the records stay unacknowledged
    const delivered = { ...batch, records, invocations: batch.invocations + 1 };
    const outcome = readInvocation(result, records, policy.reportBatchItemFailures);
    const verdict = afterInvocation(delivered, outcome, policy);
    if (outcome.kind !== 'success') {
      const failed = outcome.kind === 'partial' ? records.slice(outcome.firstFailed) : records;
      const what = `${shardId}: ${describe(failed)} failed`;
      const why = outcome.kind === 'partial' ? 'the function reported them' : outcome.reason;
      const [first, second] = verdict.next;
      const then = verdict.exhausted
        ? `retries exhausted (${delivered.retries} of ${policy.maximumRetryAttempts})`
        : verdict.retry
          ? `retry ${first?.retries} of ${policy.maximumRetryAttempts === -1 ? 'unlimited' : policy.maximumRetryAttempts} in ${retryDelayMs(first?.retries ?? 1, this.props.retryBackoff)} ms`
          : second
            ? `split into ${first?.records.length} and ${second.records.length} records`
            : `delivering them again (${first?.records.length} records)`;
      log(`${what} (${why}): ${then}`);
    }
    if (verdict.exhausted) await this.props.giveUp(verdict.exhausted, 'RetryAttemptsExhausted', outcome);
    const notBefore = verdict.retry
      ? Date.now() + retryDelayMs(verdict.next[0]?.retries ?? 1, this.props.retryBackoff)
      : 0;
    this.queue.unshift(...verdict.next.map((next) => ({ batch: next, notBefore, lastOutcome: outcome })));
  }

  /** Invokes the function; undefined when the reader stops first (the result no longer matters). */
  private async invoke(records: readonly PolledRecord[]): Promise<InvokeResult | undefined> {
    const { signal } = this.props;
    if (signal.aborted) return undefined;
    let onAbort: () => void = () => undefined;
    const stopped = new Promise<undefined>((resolve) => (onAbort = () => resolve(undefined)));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const invoked = this.props.invoke(records).catch((error: Error): InvokeResult => ({
        ok: false,
        errorType: error.name,
        errorMessage: error.message,
      }));
      return await Promise.race([invoked, stopped]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return;
    await delay(ms, undefined, { signal: this.props.signal }).catch(() => undefined);
  }
}

/** Records named by their sequence numbers, for the log. */
export function describe(records: readonly PolledRecord[]): string {
  const first = records[0]?.sequenceNumber;
  const last = records[records.length - 1]?.sequenceNumber;
  if (records.length === 1) return `record ${first}`;
  return `${records.length} records ${first}..${last}`;
}
