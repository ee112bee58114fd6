import { SESSION_BUCKETS } from '../../analytics/domain/minute-aggregates';

/**
 * The bucket (`'0'` to `'65535'`) a session id hashes to, for the minute's `sessionBuckets` set
 * from which the analytics API estimates distinct sessions. The hash is 32-bit FNV-1a over the id's
 * UTF-16 code units: stable across runs and processes, which is all the estimate needs.
 */
export function sessionBucketOf(sessionId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < sessionId.length; index++) {
    hash ^= sessionId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % SESSION_BUCKETS);
}
