import {
  TOTALS_SORT_KEY,
  comparableSequenceNumber,
  expiryOf,
  minuteOf,
  minutePartitionKey,
  productSortKey,
  type ProductCounter,
  type TotalCounter,
} from '../../analytics/domain/minute-aggregates';
import type { EnrichedEvent } from './enriched-event';
import { sessionBucketOf } from './session-buckets';
import type { ShopEventType } from './shop-event';

/**
 * How a batch of events turns into additions to the per-minute aggregates of AnalyticsTable
 * (services/analytics/domain/minute-aggregates.ts), record by record, so that an item can leave
 * out the records it already counts.
 */

export type CounterName = TotalCounter | ProductCounter;
export type Counters = Partial<Record<CounterName, number>>;

const TOTAL_COUNTER_OF: Readonly<Record<ShopEventType, TotalCounter>> = {
  page_view: 'pageViews',
  product_view: 'productViews',
  search: 'searches',
  add_to_cart: 'addToCarts',
  remove_from_cart: 'removeFromCarts',
  checkout_start: 'checkouts',
  purchase: 'purchases',
};

const PRODUCT_COUNTER_OF: Readonly<Partial<Record<ShopEventType, ProductCounter>>> = {
  product_view: 'views',
  add_to_cart: 'addToCarts',
  purchase: 'purchases',
};

/** An event to count, with the stream record that carried it. */
export interface CountedEvent {
  readonly event: EnrichedEvent;
  readonly sequenceNumber: string;
}

/** What one record adds to one item. */
interface Contribution {
  readonly sequenceNumber: string;
  /** `sequenceNumber`, zero-padded: strings compare as the numbers do. */
  readonly position: string;
  readonly counters: Counters;
  readonly sessionBucket?: string;
}

/** One aggregate item (`MINUTE#…` / `TOTALS` or `PRODUCT#…`) and what each record adds to it. */
export interface ItemContributions {
  readonly pk: string;
  readonly sk: string;
  /** Epoch seconds: when DynamoDB TTL deletes the item. */
  readonly expiresAt: number;
  readonly contributions: readonly Contribution[];
}

/** What to write to an item: the sums over the records it does not count yet. */
export interface PendingAddition {
  /** The sum of each counter the records add to. */
  readonly counters: Counters;
  readonly sessionBuckets: readonly string[];
  /** The records these sums come from; none when the item already counts every one. */
  readonly sequenceNumbers: readonly string[];
}

/**
 * Every item the events add to, with each record's contribution: the minute's totals (every event,
 * and its session's bucket) and, for events about a product, that product's counters. The minute
 * is the UTC minute in which API Gateway received the event (`serverTime`): live analytics show
 * what happens now, whatever a browser's clock says, and a wrong clock cannot file events under
 * minutes that TTL has already expired. The event's own time stays in the lake.
 */
export function contributionsByItem(events: readonly CountedEvent[]): ItemContributions[] {
  const items = new Map<
    string,
    { pk: string; sk: string; expiresAt: number; contributions: Contribution[] }
  >();
  const add = (pk: string, sk: string, expiresAt: number, contribution: Contribution) => {
    const id = `${pk}|${sk}`;
    let item = items.get(id);
    if (!item) {
      item = { pk, sk, expiresAt, contributions: [] };
      items.set(id, item);
    }
    item.contributions.push(contribution);
  };

  for (const { event, sequenceNumber } of events) {
    const time = new Date(event.serverTime);
    const pk = minutePartitionKey(time);
    const expiresAt = expiryOf(new Date(`${minuteOf(time)}:00.000Z`));
    const position = comparableSequenceNumber(sequenceNumber);
    const totals: Counters = { [TOTAL_COUNTER_OF[event.type]]: 1 };
    if (event.type === 'purchase') totals.revenue = event.price * event.quantity;
    add(pk, TOTALS_SORT_KEY, expiresAt, {
      sequenceNumber,
      position,
      counters: totals,
      sessionBucket: sessionBucketOf(event.sessionId),
    });
    const productCounter = PRODUCT_COUNTER_OF[event.type];
    if (productCounter && event.productId !== undefined) {
      add(pk, productSortKey(event.productId), expiresAt, {
        sequenceNumber,
        position,
        counters: { [productCounter]: 1 },
      });
    }
  }
  return [...items.values()];
}

/**
 * The sums of the contributions of records after `appliedPosition` (a zero-padded sequence number,
 * as items keep it), or of every record when the item counts none of this shard yet.
 */
export function pendingAddition(item: ItemContributions, appliedPosition?: string): PendingAddition {
  const counters: Counters = {};
  const sessionBuckets = new Set<string>();
  const sequenceNumbers: string[] = [];
  for (const contribution of item.contributions) {
    if (appliedPosition !== undefined && contribution.position <= appliedPosition) continue;
    for (const [name, value] of Object.entries(contribution.counters) as [CounterName, number][]) {
      counters[name] = (counters[name] ?? 0) + value;
    }
    if (contribution.sessionBucket !== undefined) sessionBuckets.add(contribution.sessionBucket);
    sequenceNumbers.push(contribution.sequenceNumber);
  }
  return { counters, sessionBuckets: [...sessionBuckets], sequenceNumbers };
}
