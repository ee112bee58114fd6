import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Quarantine, QuarantineBatch } from '../domain/ports';

/** Where the processor's invalid records go in the quarantine bucket. */
export const PROCESSOR_QUARANTINE_PREFIX = 'errors/processor/';

export interface S3QuarantineOptions {
  readonly s3: S3Client;
  readonly bucketName: string;
  /** @default PROCESSOR_QUARANTINE_PREFIX */
  readonly prefix?: string;
}

/**
 * Keeps a batch's invalid records in S3 as one newline-delimited JSON object, one record a line:
 * `{"sequenceNumber","partitionKey","reason","issues"?,"data"}` (`data` as received, base64), at
 * `errors/processor/year=YYYY/month=MM/day=DD/<shardId>-<sequence number>.ndjson`. The date (of
 * arrival in the stream) and the sequence number are those of the batch's first invalid record, so
 * a batch delivered again whole rewrites the same object instead of adding one.
 */
export class S3Quarantine implements Quarantine {
  constructor(private readonly options: S3QuarantineOptions) {}

  async store(batch: QuarantineBatch): Promise<void> {
    await this.options.s3.send(
      new PutObjectCommand({
        Bucket: this.options.bucketName,
        Key: quarantineObjectKey(batch, this.options.prefix ?? PROCESSOR_QUARANTINE_PREFIX),
        Body: batch.records.map((record) => `${JSON.stringify(record)}\n`).join(''),
        ContentType: 'application/x-ndjson',
      }),
    );
  }
}

export function quarantineObjectKey(batch: QuarantineBatch, prefix = PROCESSOR_QUARANTINE_PREFIX): string {
  const day = batch.firstArrivedAt.toISOString();
  return (
    `${prefix}year=${day.slice(0, 4)}/month=${day.slice(5, 7)}/day=${day.slice(8, 10)}/` +
    `${batch.shardId}-${batch.firstSequenceNumber}.ndjson`
  );
}
