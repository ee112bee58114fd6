import { z } from 'zod';

/** Most lines an order may have, and most units of one product in it. */
export const MAX_ORDER_LINES = 50;
export const MAX_QUANTITY = 100;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const shippingAddressSchema = z.strictObject({
  name: text(100),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, such as "US"'),
});

/** What a shopper asks for. Prices are not part of it: the server prices every line. */
export const orderRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: text(64),
        quantity: z
          .int('a whole number')
          .min(1, `from 1 to ${MAX_QUANTITY}`)
          .max(MAX_QUANTITY, `from 1 to ${MAX_QUANTITY}`),
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`)
    .superRefine((items, context) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.productId)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'productId'],
            message: 'each product once per order: raise its quantity instead',
          });
        }
        seen.add(item.productId);
      });
    }),
  shippingAddress: shippingAddressSchema,
});

export type ShippingAddress = z.infer<typeof shippingAddressSchema>;
export type OrderRequest = z.infer<typeof orderRequestSchema>;

export type OrderStatus = 'PLACED';

/** One priced line: the product's name and price at the time of the order. */
export interface OrderLine {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  /** Minor units (cents). */
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface Order {
  readonly orderId: string;
  /** The Cognito `sub` of the shopper. */
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderLine[];
  readonly total: number;
  readonly currency: string;
  readonly shippingAddress: ShippingAddress;
  /** ISO-8601, UTC. */
  readonly createdAt: string;
  /** The key the client sent, and a hash of what it asked for under that key. */
  readonly idempotencyKey: string;
  readonly requestHash: string;
}

/** What a shopper sees of an order. */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    status: order.status,
    items: order.items,
    total: order.total,
    currency: order.currency,
    shippingAddress: order.shippingAddress,
    createdAt: order.createdAt,
  };
}
