import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { EventDelivery, LakeRecord, RecordFailure } from '../domain/ports';
import { backoffDelay, sleep, type RetryPolicy } from './backoff';
import { settleWithConcurrency } from '../../shared/concurrency';
import { firehoseBatches } from './firehose-batches';

export interface FirehoseEventDeliveryOptions {
  readonly firehose: FirehoseClient;
  readonly deliveryStreamName: string;
  /**
   * How often to send again the entries Firehose refused (per-entry `ErrorCode`).
   * @default 5 attempts, 100 ms doubling up to 2 s, full jitter
   */
  readonly retry?: RetryPolicy;
  /**
   * PutRecordBatch calls in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
}

interface EncodedRecord {
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

/**
 * The analytics lake's ingestion on Kinesis Data Firehose: PutRecordBatch in calls of at most 500
 * records and 4 MiB. Firehose accepts or refuses each entry of a call on its own; the refused ones
 * (and only those) are sent again, with exponential backoff and jitter, a bounded number of times.
 * A call that fails whole (after the SDK's own retries) fails the records it carried.
 */
export class FirehoseEventDelivery implements EventDelivery {
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;

  constructor(private readonly options: FirehoseEventDeliveryOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.concurrency = options.concurrency ?? 4;
  }

  async deliver(records: readonly LakeRecord[]): Promise<{ failed: RecordFailure[] }> {
    const encoded = records.map(({ sequenceNumber, line }) => ({
      sequenceNumber,
      data: Buffer.from(line, 'utf8'),
    }));
    const batches = firehoseBatches(encoded);
    const settled = await settleWithConcurrency(batches, this.concurrency, (batch) =>
      this.deliverBatch(batch),
    );
    const failed = settled.flatMap((result, index) =>
      result.status === 'fulfilled'
        ? result.value
        : (batches[index] ?? []).map(({ sequenceNumber }) => ({
            sequenceNumber,
            reason: `Firehose call failed: ${String(result.reason)}`,
          })),
    );
    return { failed };
  }

  /** Sends one call's records until Firehose has taken them all or the attempts run out. Never rejects. */
  private async deliverBatch(batch: readonly EncodedRecord[]): Promise<RecordFailure[]> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      let refusals: (string | undefined)[];
      try {
        refusals = await this.putRecordBatch(pending);
      } catch (error) {
        const reason = `Firehose PutRecordBatch failed: ${(error as Error).name}: ${(error as Error).message}`;
        return pending.map(({ sequenceNumber }) => ({ sequenceNumber, reason }));
      }
      const refused = pending.flatMap((record, index) => {
        const refusal = refusals[index];
        return refusal === undefined ? [] : [{ record, refusal }];
      });
      if (refused.length === 0) return [];
      if (attempt >= this.retry.maxAttempts) {
        return refused.map(({ record, refusal }) => ({
          sequenceNumber: record.sequenceNumber,
          reason: `Firehose refused the record ${attempt} times, last with ${refusal}`,
        }));
      }
      pending = refused.map(({ record }) => record);
      await sleep(backoffDelay(attempt, this.retry));
    }
  }

  /** One PutRecordBatch call: the refusal reason of each entry, `undefined` for an accepted one. */
  private async putRecordBatch(records: readonly EncodedRecord[]): Promise<(string | undefined)[]> {
    const response = await this.options.firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: this.options.deliveryStreamName,
        Records: records.map(({ data }) => ({ Data: data })),
      }),
    );
    const entries = response.RequestResponses ?? [];
    if ((response.FailedPutCount ?? 0) > 0 && entries.length !== records.length) {
      // Which entries failed cannot be told: send them all again (the lake tolerates duplicates).
      return records.map(() => `${response.FailedPutCount} entries failed, unnamed`);
    }
    return records.map((_record, index) => {
      const entry = entries[index];
      return entry?.ErrorCode ? `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim() : undefined;
    });
  }
}
