import type * as http from 'node:http';

/** How the Firehose stand-in reads a JSON 1.1 request, checks it against Firehose's limits, and fails. */

/** Firehose's limits: 500 records and 4 MiB a call, 1,000 KiB a record (before base64). */
const MAX_RECORDS = 500;
const MAX_CALL_BYTES = 4 * 1024 * 1024;
const MAX_RECORD_BYTES = 1_000 * 1024;
export const TARGET_PREFIX = 'Firehose_20150804.';

/** An error answered as Firehose answers it: `{ __type, message }` with an HTTP status. */
export class FirehoseError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The delivery stream a call names. */
export function deliveryStreamOf(
  body: Record<string, unknown>,
  known: readonly string[] | undefined,
): string {
  const name = body.DeliveryStreamName;
  if (typeof name !== 'string' || name === '') {
    throw new FirehoseError('InvalidArgumentException', 'DeliveryStreamName is required');
  }
  if (known && !known.includes(name)) {
    throw new FirehoseError('ResourceNotFoundException', `Delivery stream ${name} not found.`);
  }
  return name;
}

/** A record's data, decoded from base64. */
export function dataOf(record: unknown): Buffer {
  const data = (record as { Data?: unknown } | undefined)?.Data;
  if (typeof data !== 'string')
    throw new FirehoseError('InvalidArgumentException', 'Record.Data is required');
  return Buffer.from(data, 'base64');
}

/** @throws FirehoseError `InvalidArgumentException` when the records exceed what one call may carry */
export function checkLimits(records: readonly Buffer[]): void {
  if (records.length < 1 || records.length > MAX_RECORDS) {
    throw new FirehoseError(
      'InvalidArgumentException',
      `${records.length} records: 1 to ${MAX_RECORDS} allowed`,
    );
  }
  const tooLarge = records.findIndex((data) => data.length > MAX_RECORD_BYTES);
  if (tooLarge >= 0) {
    throw new FirehoseError(
      'InvalidArgumentException',
      `record ${tooLarge} is over ${MAX_RECORD_BYTES} bytes`,
    );
  }
  const { bytes } = sizeOf(records);
  if (bytes > MAX_CALL_BYTES) {
    throw new FirehoseError(
      'InvalidArgumentException',
      `${bytes} bytes in one call: at most ${MAX_CALL_BYTES}`,
    );
  }
}

export function sizeOf(records: readonly Buffer[]): { entries: number; bytes: number } {
  return { entries: records.length, bytes: records.reduce((total, data) => total + data.length, 0) };
}

/** The request's body, as text. */
export function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
