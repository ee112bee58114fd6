import { ApiError } from '../api/api-error';

export interface PlaceOrderOptions {
  /** Tries in all, the first included. @default 3 */
  readonly attempts?: number;
  /** @default crypto.randomUUID */
  readonly newKey?: () => string;
  /** @default setTimeout */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

/**
 * One checkout attempt: a new `Idempotency-Key`, and the same key on each retry, so that a retry
 * after a lost answer gets back the order placed the first time, never a second order. Retries
 * what may succeed again (the network failed, the API was busy or down), after 0.5 s, then 1 s;
 * a 4xx is the answer.
 */
export async function placeOrderOnce<T>(
  place: (idempotencyKey: string) => Promise<T>,
  options: PlaceOrderOptions = {},
): Promise<T> {
  const { attempts = 3, newKey = () => crypto.randomUUID(), sleep = wait } = options;
  const idempotencyKey = newKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await place(idempotencyKey);
    } catch (error) {
      if (!(error instanceof ApiError && error.retryable) || attempt >= attempts) throw error;
      await sleep(500 * 2 ** (attempt - 1));
    }
  }
}

function wait(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
