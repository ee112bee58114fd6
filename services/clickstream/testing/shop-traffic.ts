import { randomUUID } from 'node:crypto';
import type { ShopEvent, ShopEventType, StreamedShopEvent } from '../domain/shop-event';

/**
 * Made-up but realistic shop traffic for tests and benchmarks: sessions of anonymous and signed-in
 * shoppers (and a few crawlers) browsing, searching, carting and buying a catalog's products over
 * a few minutes. The mix is reproducible for a given seed; event ids are always fresh.
 */
export interface ShopTrafficOptions {
  readonly events: number;
  /** @default 200 */
  readonly sessions?: number;
  /** @default 50 */
  readonly products?: number;
  /** The first minute's start; events spread over `minutes` minutes from there. */
  readonly start: Date;
  /** @default 3 */
  readonly minutes?: number;
  /** @default 0.6 */
  readonly signedInShare?: number;
  /** Share of sessions that are crawlers. @default 0.05 */
  readonly botShare?: number;
  /** @default 1 */
  readonly seed?: number;
}

export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
export const BOT_USER_AGENT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** How often each type occurs, in percent. */
const TYPE_MIX: readonly [ShopEventType, number][] = [
  ['page_view', 35],
  ['product_view', 30],
  ['search', 10],
  ['add_to_cart', 10],
  ['remove_from_cart', 3],
  ['checkout_start', 5],
  ['purchase', 7],
];

interface Session {
  readonly sessionId: string;
  readonly userId?: string;
  readonly userAgent: string;
  readonly sourceIp: string;
}

export function shopTraffic(options: ShopTrafficOptions): StreamedShopEvent[] {
  const random = seededRandom(options.seed ?? 1);
  const pick = (count: number) => Math.floor(random() * count);
  const runId = randomUUID().slice(0, 8);
  const sessions: Session[] = Array.from({ length: options.sessions ?? 200 }, (_, index) => {
    const bot = random() < (options.botShare ?? 0.05);
    const signedIn = !bot && random() < (options.signedInShare ?? 0.6);
    return {
      sessionId: `s-${runId}-${index}`,
      ...(signedIn && { userId: `u-${index % 150}` }),
      userAgent: bot ? BOT_USER_AGENT : BROWSER_USER_AGENT,
      sourceIp: `10.0.${index % 250}.${(index * 7) % 250}`,
    };
  });
  const span = (options.minutes ?? 3) * 60_000;
  const products = options.products ?? 50;

  const events = Array.from({ length: options.events }, () => {
    const session = sessions[pick(sessions.length)] as Session;
    const time = options.start.getTime() + pick(span);
    const productId = `p-${String(pick(products)).padStart(3, '0')}`;
    const event = eventOf(typeOf(random() * 100), {
      eventId: randomUUID(),
      sessionId: session.sessionId,
      ...(session.userId !== undefined && { userId: session.userId }),
      timestamp: new Date(time).toISOString(),
      productId,
      query: `mug ${pick(20)}`,
      price: 500 + pick(20) * 100,
      quantity: 1 + pick(3),
      orderId: `ord-${pick(1_000_000)}`,
    });
    return {
      event,
      receivedAt: time + 40 + pick(200),
      sourceIp: session.sourceIp,
      userAgent: session.userAgent,
    };
  });
  return events.sort((a, b) => a.receivedAt - b.receivedAt);
}

function typeOf(percentile: number): ShopEventType {
  let cumulative = 0;
  for (const [type, share] of TYPE_MIX) {
    cumulative += share;
    if (percentile < cumulative) return type;
  }
  return 'page_view';
}

/** The event of `type` with the fields that type carries, taken from `fields`. */
function eventOf(
  type: ShopEventType,
  fields: Omit<ShopEvent, 'type' | 'productId' | 'price' | 'quantity' | 'orderId' | 'query'> & {
    productId: string;
    query: string;
    price: number;
    quantity: number;
    orderId: string;
  },
): ShopEvent {
  const { productId, query, price, quantity, orderId, ...common } = fields;
  switch (type) {
    case 'product_view':
    case 'add_to_cart':
    case 'remove_from_cart':
      return { ...common, type, productId };
    case 'search':
      return { ...common, type, query };
    case 'purchase':
      return { ...common, type, productId, price, quantity, orderId };
    default:
      return { ...common, type };
  }
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The data of a stream record carrying `event`, as API Gateway writes it. */
export function recordData(event: StreamedShopEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** Records no processor can read, one of each kind it must quarantine. */
export const malformedData = {
  /** Cut off in the middle: not JSON. */
  notJson: (): Buffer => Buffer.from('{"event":{"eventId":"1f0c', 'utf8'),
  /** A purchase without its price: JSON, but not a valid shop event. */
  schemaViolation: (valid: StreamedShopEvent): Buffer => {
    const purchase = { ...valid.event, type: 'purchase', productId: 'p-001', quantity: 1, orderId: 'o-1' };
    return recordData({ ...valid, event: { ...purchase, price: undefined } as unknown as ShopEvent });
  },
  /** A valid event padded past the 64 KiB limit. */
  oversized: (valid: StreamedShopEvent): Buffer => recordData({ ...valid, userAgent: 'x'.repeat(70 * 1024) }),
};

/**
 * The UTC date `daysAgo` (0 to 6) days before today, such as `2026-11-23`. Tests date their traffic
 * with it: an aggregate expires 7 days after its minute, and DynamoDB Local does delete expired
 * items (TTL), so traffic of an older date would vanish from the table during the test.
 */
export function recentDay(daysAgo: number): string {
  if (daysAgo < 0 || daysAgo > 6) throw new Error(`expected 0 to 6 days ago, received ${daysAgo}`);
  return new Date(Date.now() - daysAgo * 24 * 3600 * 1000).toISOString().slice(0, 10);
}
