import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** An order item as the orders service writes it to OrdersTable (services/orders/domain/order.ts). */
export function storedOrder(
  orderId: string,
  productIds: readonly string[],
  overrides: Record<string, unknown> = {},
) {
  const items = productIds.map((productId) => ({
    productId,
    name: `Product ${productId}`,
    quantity: 1,
    unitPrice: 1_000,
    lineTotal: 1_000,
  }));
  return {
    orderId,
    customerId: 'customer-ada',
    status: 'PLACED',
    createdAt: '2026-11-25T09:00:00.000Z',
    total: items.length * 1_000,
    currency: 'USD',
    items,
    shippingAddress: {
      name: 'Ada',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    idempotencyKey: `key-${orderId}`,
    requestHash: 'c0ffee',
    ...overrides,
  };
}

export function streamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}
