/** How hard to insist when DynamoDB leaves part of a batch unprocessed (throttling, size limits). */
export interface BatchRetryPolicy {
  /** Requests in all, the first one included. */
  readonly maxAttempts: number;
  /** Longest wait before the first retry; it doubles with each further retry, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BATCH_RETRY_POLICY: BatchRetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
};

/**
 * Sends `items` with `sendOnce`, which returns the items DynamoDB left unprocessed, and sends those
 * again after a growing, jittered wait (exponential backoff with full jitter), until none are left.
 * @throws Error when items are still unprocessed after `policy.maxAttempts` requests.
 */
export async function retryUnprocessed<T>(
  items: readonly T[],
  sendOnce: (items: readonly T[]) => Promise<readonly T[]>,
  policy: BatchRetryPolicy,
  what: string,
): Promise<void> {
  if (items.length === 0) return;
  let pending = await sendOnce(items);
  for (let attempt = 2; pending.length > 0; attempt++) {
    if (attempt > policy.maxAttempts) {
      throw new Error(
        `DynamoDB left ${pending.length} of ${items.length} ${what} unprocessed after ${policy.maxAttempts} attempts`,
      );
    }
    await sleep(backoffDelay(attempt - 1, policy));
    pending = await sendOnce(pending);
  }
}

function backoffDelay(retry: number, policy: BatchRetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.random() * ceiling;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}
