/** How often and how patiently to send again what a service refused for now. */
export interface RetryPolicy {
  /** Requests in all, the first one included. */
  readonly maxAttempts: number;
  /** Longest wait before the first retry; it doubles with each further retry, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Exponential backoff with full jitter before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
