/**
 * A shopper's recent activity in AnalyticsTable: what each signed-in shopper did with each product
 * lately. The contract between the ClickstreamProcessor, which writes it, and the `for-you`
 * recommendations, which read it (one Query on `USER#<userId>`).
 *
 * `pk = USER#<userId>`, `sk = PRODUCT#<productId>`:
 * - `lastSeenAt` (number, epoch seconds): the latest time the shopper did something with the
 *   product, by the server's clock (when API Gateway received the event: a browser whose clock runs
 *   ahead cannot pin an item in the future). Writers keep the maximum.
 * - `eventTypes` (string set): the shop event types seen (`product_view`, `add_to_cart`,
 *   `remove_from_cart`, `purchase`, …).
 * - `expiresAt` (number, epoch seconds): `USER_ACTIVITY_RETENTION_DAYS` after `lastSeenAt`, for
 *   DynamoDB TTL. TTL deletes expired items within a few days, not at once: readers leave out
 *   items whose `expiresAt` has passed.
 *
 * Both writes are idempotent (a maximum and a set union), so a replayed batch changes nothing.
 */

export const USER_ACTIVITY_PARTITION_PREFIX = 'USER#';
export const USER_ACTIVITY_SORT_PREFIX = 'PRODUCT#';
/** How long a shopper's activity with a product counts as recent. */
export const USER_ACTIVITY_RETENTION_DAYS = 30;

export function userActivityKey(userId: string, productId: string): { pk: string; sk: string } {
  return {
    pk: `${USER_ACTIVITY_PARTITION_PREFIX}${userId}`,
    sk: `${USER_ACTIVITY_SORT_PREFIX}${productId}`,
  };
}

/** When an activity last seen at `lastSeenAt` (epoch seconds) expires, in epoch seconds. */
export function userActivityExpiry(lastSeenAt: number): number {
  return lastSeenAt + USER_ACTIVITY_RETENTION_DAYS * 24 * 3600;
}
