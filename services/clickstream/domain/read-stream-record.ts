import { z } from 'zod';
import { enrichEvent, type EnrichedEvent } from './enriched-event';
import { streamedShopEventSchema } from './shop-event';
import type { StreamRecord } from './stream-record';

/** Records larger than this are quarantined unread: no shop event comes near it. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** What is wrong with a field of an invalid event: where (`event.price`) and what. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

export type ReadRecord =
  | { readonly kind: 'event'; readonly record: StreamRecord; readonly event: EnrichedEvent }
  | {
      readonly kind: 'invalid';
      readonly record: StreamRecord;
      readonly reason: string;
      /** Present when the record is JSON but not a valid shop event. */
      readonly issues?: readonly SchemaIssue[];
    };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one stream record into an enriched shop event, or says why it is invalid. Never throws. */
export function readStreamRecord(record: StreamRecord): ReadRecord {
  const invalid = (reason: string, issues?: readonly SchemaIssue[]): ReadRecord => ({
    kind: 'invalid',
    record,
    reason,
    ...(issues && { issues }),
  });
  if (!BASE64.test(record.data)) return invalid('the record data is not base64');
  const bytes = Buffer.from(record.data, 'base64');
  if (bytes.length > MAX_RECORD_BYTES) {
    return invalid(`the record is ${bytes.length} bytes, over the ${MAX_RECORD_BYTES}-byte limit`);
  }
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    return invalid(`the record is not UTF-8 JSON: ${(error as Error).message}`);
  }
  const parsed = streamedShopEventSchema.safeParse(json);
  if (!parsed.success) {
    return invalid(`schema violation: ${z.prettifyError(parsed.error)}`, issuesOf(parsed.error));
  }
  return { kind: 'event', record, event: enrichEvent(parsed.data) };
}

function issuesOf(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)',
    message: issue.message,
  }));
}
