import { mapWithConcurrency } from '../../../shared/concurrency';
import { coPurchasesOf, type PlacedOrder } from './co-purchases';
import type { CoPurchaseCounts } from './ports';

/** What one OrdersTable stream record means to the counter. */
export type OrderChange =
  /** A new order (INSERT): its pairs are counted. */
  | { readonly kind: 'placed'; readonly order: PlacedOrder }
  /** A change the counter has nothing to do with (an order updated or removed). */
  | { readonly kind: 'ignored' }
  /** A record that can never be counted (unreadable, or not an order), and why. */
  | { readonly kind: 'poison'; readonly reason: string };

/** What became of one change. */
export type ChangeOutcome =
  | { readonly kind: 'counted'; readonly orderId: string; readonly pairs: number; readonly leftOut: number }
  | { readonly kind: 'already-counted'; readonly orderId: string }
  /** An order of one product: no pairs, nothing written. */
  | { readonly kind: 'no-pairs'; readonly orderId: string }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'poison'; readonly reason: string }
  /** The counts could not be written for now: to be retried. */
  | { readonly kind: 'failed'; readonly orderId: string; readonly reason: string };

export interface CountOptions {
  /** When the batch is counted. */
  readonly now: Date;
  /**
   * Orders written at once. Orders that share a product pair touch the same counters, and
   * transactions on one item conflict, so this stays small.
   * @default 4
   */
  readonly concurrency?: number;
}

/**
 * Adds the co-purchases of the new orders among `changes` to the counts, each order at most once
 * however often it is delivered, and says what became of each change, in order. Never rejects: a
 * write that failed is a `failed` outcome, to be reported and retried.
 */
export async function countCoPurchases(
  changes: readonly OrderChange[],
  counts: CoPurchaseCounts,
  { now, concurrency = 4 }: CountOptions,
): Promise<ChangeOutcome[]> {
  return mapWithConcurrency(changes, concurrency, async (change): Promise<ChangeOutcome> => {
    if (change.kind !== 'placed') return change;
    const coPurchases = coPurchasesOf(change.order);
    const { orderId } = coPurchases;
    if (coPurchases.pairs.length === 0) return { kind: 'no-pairs', orderId };
    try {
      const outcome = await counts.add(coPurchases, now);
      return outcome === 'counted'
        ? { kind: 'counted', orderId, pairs: coPurchases.pairs.length, leftOut: coPurchases.leftOut }
        : { kind: 'already-counted', orderId };
    } catch (error) {
      return { kind: 'failed', orderId, reason: messageOf(error) };
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
