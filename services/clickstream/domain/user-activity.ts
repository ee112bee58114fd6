import type { CountedEvent } from './minute-contributions';
import type { ShopEventType } from './shop-event';

/**
 * A signed-in shopper's activity with one product in a batch: what the processor writes to the
 * shopper's recent activity (services/recommendations/signals/domain/user-activity.ts), the `for-you`
 * recommendations' real-time signal.
 */
export interface UserProductActivity {
  readonly userId: string;
  readonly productId: string;
  /** The latest server time among the batch's events of this shopper and product, epoch seconds. */
  readonly lastSeenAt: number;
  /** The event types seen, each once, in the order first seen. */
  readonly eventTypes: readonly ShopEventType[];
  /** The records these events come from: what to report when the item cannot be written. */
  readonly sequenceNumbers: readonly string[];
}

/**
 * One activity per signed-in shopper and product of the batch, from the events that name both (a
 * product view, an add to cart, a removal, a purchase). Pass the counted events: bots' are not a
 * shopper's activity. Times are the server's (`serverTime`), not the browser's.
 */
export function userActivitiesOf(events: readonly CountedEvent[]): UserProductActivity[] {
  const activities = new Map<
    string,
    {
      userId: string;
      productId: string;
      lastSeenAt: number;
      eventTypes: Set<ShopEventType>;
      sequenceNumbers: string[];
    }
  >();
  for (const { event, sequenceNumber } of events) {
    const { userId, productId } = event;
    if (userId === undefined || productId === undefined) continue;
    const seenAt = Math.floor(Date.parse(event.serverTime) / 1000);
    const id = JSON.stringify([userId, productId]);
    const activity = activities.get(id);
    if (activity) {
      activity.lastSeenAt = Math.max(activity.lastSeenAt, seenAt);
      activity.eventTypes.add(event.type);
      activity.sequenceNumbers.push(sequenceNumber);
    } else {
      activities.set(id, {
        userId,
        productId,
        lastSeenAt: seenAt,
        eventTypes: new Set([event.type]),
        sequenceNumbers: [sequenceNumber],
      });
    }
  }
  return [...activities.values()].map((activity) => ({ ...activity, eventTypes: [...activity.eventTypes] }));
}
