import { z } from 'zod';

/**
 * What the storefront sends for each thing a shopper does, and the envelope API Gateway wraps it
 * in before writing it to the clickstream stream (partition key: the session id).
 */

export const SHOP_EVENT_TYPES = [
  'page_view',
  'product_view',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'checkout_start',
  'purchase',
] as const;
export type ShopEventType = (typeof SHOP_EVENT_TYPES)[number];

/** Ids as Personalize accepts them (at most 256 characters). */
const id = z.string().min(1).max(256);
const query = z.string().min(1).max(1024);
/** Minor units (cents). */
const price = z.int().nonnegative();
const quantity = z.int().positive();

/** Fields every event may carry; each type below makes the ones it needs required. */
const anyEvent = z.object({
  eventId: z.uuid(),
  sessionId: id,
  /** The signed-in shopper; absent for anonymous browsing. */
  userId: id.optional(),
  productId: id.optional(),
  query: query.optional(),
  price: price.optional(),
  quantity: quantity.optional(),
  orderId: id.optional(),
  /** When it happened, by the browser's clock. */
  timestamp: z.iso.datetime({ offset: true }),
});

/** One shop event as the browser sent it. Unknown fields are dropped. */
export const shopEventSchema = z.discriminatedUnion('type', [
  anyEvent.extend({ type: z.literal('page_view') }),
  anyEvent.extend({ type: z.literal('product_view'), productId: id }),
  anyEvent.extend({ type: z.literal('search'), query }),
  anyEvent.extend({ type: z.literal('add_to_cart'), productId: id }),
  anyEvent.extend({ type: z.literal('remove_from_cart'), productId: id }),
  anyEvent.extend({ type: z.literal('checkout_start') }),
  // One purchase event per order line.
  anyEvent.extend({ type: z.literal('purchase'), productId: id, price, quantity, orderId: id }),
]);
export type ShopEvent = z.infer<typeof shopEventSchema>;

/** The data of one stream record: the event and what API Gateway knew when it received it. */
export const streamedShopEventSchema = z.object({
  event: shopEventSchema,
  /** When API Gateway received the event, epoch milliseconds. */
  receivedAt: z.int().nonnegative(),
  sourceIp: z.string().max(64).optional(),
  userAgent: z.string().max(2048).optional(),
});
export type StreamedShopEvent = z.infer<typeof streamedShopEventSchema>;
