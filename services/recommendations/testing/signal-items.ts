import { randomUUID } from 'node:crypto';
import type { Order } from '../../orders/domain/order';
import { coPurchasePartitionKey, coPurchaseSortKey } from '../signals/domain/co-purchases';
import { userActivityExpiry, userActivityKey } from '../signals/domain/user-activity';

/**
 * Items in the shapes the recommendations read (signals/domain/co-purchases.ts and
 * user-activity.ts, orders' Order), for tests
 * that write them and read them back. Write them with analytics' `writeItems`.
 */

type Item = Record<string, unknown>;

/** `count` orders had `productId` and `otherProductId` together. */
export function coPurchaseItem(productId: string, otherProductId: string, count: number): Item {
  return { pk: coPurchasePartitionKey(productId), sk: coPurchaseSortKey(otherProductId), count };
}

/** The shopper last saw `productId` at `lastSeenAt` (epoch seconds); it expires as the contract says unless told. */
export function userActivityItem(
  userId: string,
  productId: string,
  lastSeenAt: number,
  options: { eventTypes?: string[]; expiresAt?: number } = {},
): Item {
  return {
    ...userActivityKey(userId, productId),
    lastSeenAt,
    eventTypes: new Set(options.eventTypes ?? ['product_view']),
    expiresAt: options.expiresAt ?? userActivityExpiry(lastSeenAt),
  };
}

/** An order of the shopper for one unit of each of `productIds`, placed at `createdAt`. */
export function orderItem(customerId: string, productIds: readonly string[], createdAt: Date): Order {
  const items = productIds.map((productId) => ({
    productId,
    name: `Name of ${productId}`,
    quantity: 1,
    unitPrice: 1000,
    lineTotal: 1000,
  }));
  return {
    orderId: randomUUID(),
    customerId,
    status: 'PLACED',
    items,
    total: items.length * 1000,
    currency: 'USD',
    shippingAddress: {
      name: 'A Shopper',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    createdAt: createdAt.toISOString(),
    idempotencyKey: randomUUID(),
    requestHash: 'hash',
  };
}
