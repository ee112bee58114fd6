import type { EnrichedEvent } from './enriched-event';
import type { Interaction } from './ports';
import type { ShopEventType } from './shop-event';

/** The event types the recommender learns from. */
export const INTERACTION_TYPES: ReadonlySet<ShopEventType> = new Set([
  'product_view',
  'add_to_cart',
  'purchase',
]);

/**
 * The interactions to send to the recommender: signed-in shoppers' product views, add-to-carts and
 * purchases. Anonymous sessions and bots are left out: an interaction needs a user to belong to,
 * and crawlers would teach the recommender what crawlers like.
 */
export function interactionsOf(events: readonly EnrichedEvent[]): Interaction[] {
  return events.flatMap((event) =>
    event.userId !== undefined &&
    event.productId !== undefined &&
    !event.isBot &&
    INTERACTION_TYPES.has(event.type)
      ? [
          {
            eventId: event.eventId,
            eventType: event.type,
            userId: event.userId,
            sessionId: event.sessionId,
            itemId: event.productId,
            sentAt: new Date(event.timestamp),
          },
        ]
      : [],
  );
}
