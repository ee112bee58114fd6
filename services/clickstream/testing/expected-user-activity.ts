import {
  USER_ACTIVITY_PARTITION_PREFIX,
  USER_ACTIVITY_RETENTION_DAYS,
} from '../../recommendations/signals/domain/user-activity';
import type { StreamedShopEvent } from '../domain/shop-event';

/** A shopper's activity with a product as a test compares it. */
export interface ActivityItem {
  readonly lastSeenAt: number;
  readonly eventTypes: readonly string[];
  readonly expiresAt: number;
}

/**
 * What the shoppers' recent activity must hold after `events` are processed, computed the plainest
 * way, apart from the processor's code: `{ 'USER#u-7|PRODUCT#p-042': { lastSeenAt, eventTypes, expiresAt } }`
 * for signed-in shoppers' events about a product, bots left out, event types sorted.
 */
export function expectedUserActivity(events: readonly StreamedShopEvent[]): Record<string, ActivityItem> {
  const items: Record<string, { lastSeenAt: number; eventTypes: Set<string> }> = {};
  for (const { event, userAgent, receivedAt } of events) {
    if (userAgent?.includes('Googlebot') || event.userId === undefined || event.productId === undefined)
      continue;
    const id = `USER#${event.userId}|PRODUCT#${event.productId}`;
    const seconds = Math.floor(receivedAt / 1000);
    const item = (items[id] ??= { lastSeenAt: seconds, eventTypes: new Set() });
    item.lastSeenAt = Math.max(item.lastSeenAt, seconds);
    item.eventTypes.add(event.type);
  }
  return Object.fromEntries(
    Object.entries(items).map(([id, { lastSeenAt, eventTypes }]) => [
      id,
      {
        lastSeenAt,
        eventTypes: [...eventTypes].sort(),
        expiresAt: lastSeenAt + USER_ACTIVITY_RETENTION_DAYS * 24 * 3600,
      },
    ]),
  );
}

/** Stored activity items in the shape `expectedUserActivity` returns. */
export function storedUserActivity(items: readonly Record<string, unknown>[]): Record<string, ActivityItem> {
  return Object.fromEntries(
    items
      .filter((item) => String(item.pk).startsWith(USER_ACTIVITY_PARTITION_PREFIX))
      .map((item) => [
        `${String(item.pk)}|${String(item.sk)}`,
        {
          lastSeenAt: item.lastSeenAt as number,
          eventTypes: [...(item.eventTypes as Set<string>)].sort(),
          expiresAt: item.expiresAt as number,
        },
      ]),
  );
}
