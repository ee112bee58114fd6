/** What one PutRecordBatch call may carry. */
export interface FirehoseCallLimits {
  readonly records: number;
  /** The sum of the records' sizes (before base64). */
  readonly bytes: number;
}

/** Firehose's own limits for PutRecordBatch. */
export const FIREHOSE_CALL_LIMITS: FirehoseCallLimits = { records: 500, bytes: 4 * 1024 * 1024 };

/**
 * `records` in consecutive groups that each fit in one PutRecordBatch call. A record larger than
 * the byte limit on its own travels alone (and Firehose refuses it by name).
 */
export function firehoseBatches<T extends { readonly data: Uint8Array }>(
  records: readonly T[],
  limits: FirehoseCallLimits = FIREHOSE_CALL_LIMITS,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.data.byteLength;
    if (current.length > 0 && (current.length === limits.records || bytes + size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
