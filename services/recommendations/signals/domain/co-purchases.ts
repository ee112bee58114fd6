/**
 * Co-purchase counts in AnalyticsTable: how many orders held both of two products. The contract
 * between the co-purchase counter (OrdersTable stream), which writes them, and the `bought-together`
 * recommendations, which read them.
 *
 * - `pk = COPURCHASE#<productId>`, `sk = WITH#<otherProductId>`, `count` (number): the orders that
 *   held both. Both directions are kept, so one Query on `COPURCHASE#<productId>` lists everything
 *   bought with it. These items do not expire.
 * - `pk = ORDER#<orderId>`, `sk = COPURCHASES_COUNTED`, `countedAt`, `expiresAt`: the marker that
 *   the order's pairs are counted. It is written in the same transaction as the counts, on the
 *   condition that it does not exist yet, so an order delivered again adds nothing.
 */

export const CO_PURCHASE_PARTITION_PREFIX = 'COPURCHASE#';
export const CO_PURCHASE_SORT_PREFIX = 'WITH#';
export const COUNTED_MARKER_SORT_KEY = 'COPURCHASES_COUNTED';

/**
 * Most distinct products of one order whose pairs are counted: 10, so 10 × 9 = 90 pair counters
 * plus the marker fit in one DynamoDB transaction (at most 100 items). The marker must be written
 * in the same transaction as the counts for a replay to be a no-op. It also bounds the cost: pairs
 * grow with the square of the basket (an order may have 50 lines, which would be 2,450 counters).
 * A basket that large says little about any one pair, and a few bulk orders would otherwise
 * outweigh many ordinary ones.
 */
export const MAX_PRODUCTS_COUNTED = 10;

/**
 * How long the marker of a counted order is kept: well past the 24 hours a DynamoDB stream keeps
 * its records. Any delivery of the order's INSERT happens within that time, a retry included.
 */
export const COUNTED_MARKER_RETENTION_DAYS = 7;

export function coPurchasePartitionKey(productId: string): string {
  return `${CO_PURCHASE_PARTITION_PREFIX}${productId}`;
}

export function coPurchaseSortKey(otherProductId: string): string {
  return `${CO_PURCHASE_SORT_PREFIX}${otherProductId}`;
}

export function countedMarkerKey(orderId: string): { pk: string; sk: string } {
  return { pk: `ORDER#${orderId}`, sk: COUNTED_MARKER_SORT_KEY };
}

/** When the marker of an order counted at `countedAt` (epoch seconds) expires, in epoch seconds. */
export function countedMarkerExpiry(countedAt: number): number {
  return countedAt + COUNTED_MARKER_RETENTION_DAYS * 24 * 3600;
}

/** A new order as the counter needs it: its id and its lines' products, in the order's line order. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly productIds: readonly string[];
}

/** One counter to raise by one: `productId` was bought with `otherProductId`. */
export interface CoPurchasePair {
  readonly productId: string;
  readonly otherProductId: string;
}

/** What counting an order writes: the products it counts and their ordered pairs. */
export interface OrderCoPurchases {
  readonly orderId: string;
  /** The order's distinct products, in line order, at most `MAX_PRODUCTS_COUNTED`. */
  readonly products: readonly string[];
  /** Every ordered pair of distinct counted products (both directions). */
  readonly pairs: readonly CoPurchasePair[];
  /** Distinct products of the order left out by the cap. */
  readonly leftOut: number;
}

/**
 * The pairs an order counts: every ordered pair of its distinct products, taking the first
 * `maxProducts` distinct products in line order (the same ones every time the order is read, so a
 * replay counts the same pairs). An order of one product has no pairs.
 */
export function coPurchasesOf(order: PlacedOrder, maxProducts = MAX_PRODUCTS_COUNTED): OrderCoPurchases {
  const distinct = [...new Set(order.productIds)];
  const products = distinct.slice(0, maxProducts);
  const pairs: CoPurchasePair[] = [];
  for (const productId of products) {
    for (const otherProductId of products) {
      if (productId !== otherProductId) pairs.push({ productId, otherProductId });
    }
  }
  return { orderId: order.orderId, products, pairs, leftOut: distinct.length - products.length };
}
