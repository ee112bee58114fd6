import type { StreamedShopEvent } from '../domain/shop-event';
import { sessionBucketOf } from '../domain/session-buckets';

/**
 * What the live aggregates must hold after `events` are counted, computed the plainest way, apart
 * from the processor's code: `{ 'MINUTE#…|TOTALS': { pageViews: 3, …, sessionBuckets: [...] } }`,
 * counters that stay at zero left out. Bot traffic is not counted.
 */
export function expectedAggregates(
  events: readonly StreamedShopEvent[],
): Record<string, Record<string, unknown>> {
  const items: Record<string, Record<string, number>> = {};
  const sessions: Record<string, Set<string>> = {};
  const add = (pk: string, sk: string, counter: string, value: number) => {
    const item = (items[`${pk}|${sk}`] ??= {});
    item[counter] = (item[counter] ?? 0) + value;
  };
  for (const { event, userAgent, receivedAt } of events) {
    if (userAgent?.includes('Googlebot')) continue;
    const pk = `MINUTE#${new Date(receivedAt).toISOString().slice(0, 16)}`;
    (sessions[pk] ??= new Set()).add(event.sessionId);
    const product = `PRODUCT#${event.productId}`;
    switch (event.type) {
      case 'page_view':
        add(pk, 'TOTALS', 'pageViews', 1);
        break;
      case 'product_view':
        add(pk, 'TOTALS', 'productViews', 1);
        add(pk, product, 'views', 1);
        break;
      case 'search':
        add(pk, 'TOTALS', 'searches', 1);
        break;
      case 'add_to_cart':
        add(pk, 'TOTALS', 'addToCarts', 1);
        add(pk, product, 'addToCarts', 1);
        break;
      case 'remove_from_cart':
        add(pk, 'TOTALS', 'removeFromCarts', 1);
        break;
      case 'checkout_start':
        add(pk, 'TOTALS', 'checkouts', 1);
        break;
      case 'purchase':
        add(pk, 'TOTALS', 'purchases', 1);
        add(pk, 'TOTALS', 'revenue', event.price * event.quantity);
        add(pk, product, 'purchases', 1);
        break;
    }
  }
  const expected: Record<string, Record<string, unknown>> = { ...items };
  for (const [pk, ids] of Object.entries(sessions)) {
    expected[`${pk}|TOTALS`] = {
      ...expected[`${pk}|TOTALS`],
      sessionBuckets: [...new Set([...ids].map(sessionBucketOf))].sort(),
    };
  }
  return expected;
}

const NOT_COUNTERS = new Set(['pk', 'sk', 'appliedBatches', 'expiresAt']);

/** Stored aggregate items in the shape `expectedAggregates` returns. */
export function storedAggregates(
  items: readonly Record<string, unknown>[],
): Record<string, Record<string, unknown>> {
  const stored: Record<string, Record<string, unknown>> = {};
  for (const item of items) {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item)) {
      if (NOT_COUNTERS.has(name)) continue;
      fields[name] = value instanceof Set ? [...value].sort() : value;
    }
    stored[`${String(item.pk)}|${String(item.sk)}`] = fields;
  }
  return stored;
}
