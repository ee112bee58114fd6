import type { OrderCoPurchases } from './co-purchases';

/** What became of adding one order's pairs to the counts. */
export type AddOutcome = 'counted' | 'already-counted';

/** The co-purchase counts (AnalyticsTable), owned by the domain; an adapter keeps them in DynamoDB. */
export interface CoPurchaseCounts {
  /**
   * Raises the counter of each of the order's pairs by one, together with a marker that the order
   * is counted, all or nothing. Resolves `already-counted`, writing nothing, when the marker is
   * there already (the order was delivered before).
   * @param countedAt when the order is counted: the marker's TTL runs from it
   * @throws when the counts could not be written for now; nothing is written then
   */
  add(order: OrderCoPurchases, countedAt: Date): Promise<AddOutcome>;
}
