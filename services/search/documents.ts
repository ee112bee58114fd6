import type { OrderDocument, ProductDocument } from './search-index';

/**
 * Exactly the fields of the port, in a fresh object. TypeScript lets a caller pass an object with
 * more properties (an order with its shipping address, say); the adapters store this projection so
 * that nothing beyond the port's fields is ever written to an index.
 */
export function orderDocument(order: OrderDocument): OrderDocument {
  const { orderId, customerId, status, createdAt, total, currency, items } = order;
  return {
    orderId,
    customerId,
    status,
    createdAt,
    total,
    currency,
    items: items.map(({ productId, name, quantity }) => ({ productId, name, quantity })),
  };
}

export function productDocument(product: ProductDocument): ProductDocument {
  const { productId, name, description, category, price, currency, imagePath, stock } = product;
  return { productId, name, description, category, price, currency, imagePath, stock };
}

/**
 * OpenSearch's `fuzziness: AUTO`, which both adapters apply: terms of up to 2 characters must
 * match exactly, of 3 to 5 may be one edit away, longer ones two.
 */
export function autoFuzziness(term: string): number {
  if (term.length <= 2) return 0;
  return term.length <= 5 ? 1 : 2;
}
