import { ValidationError, type FieldError } from '../../shared/errors';
import type { OrderLine, OrderRequest } from './order';
import type { PricedProduct } from './ports';

export interface PricedOrder {
  readonly lines: OrderLine[];
  readonly total: number;
  readonly currency: string;
}

/**
 * Prices every line from the catalog, never from the client.
 * @throws ValidationError naming each line whose product does not exist, or mixed currencies.
 */
export function priceOrder(request: OrderRequest, products: readonly PricedProduct[]): PricedOrder {
  const byId = new Map(products.map((product) => [product.productId, product]));
  const unknown: FieldError[] = [];
  const lines: OrderLine[] = [];
  request.items.forEach((item, index) => {
    const product = byId.get(item.productId);
    if (!product) {
      unknown.push({
        path: `items.${index}.productId`,
        message: `no product "${item.productId}" in the catalog`,
      });
      return;
    }
    lines.push({
      productId: product.productId,
      name: product.name,
      quantity: item.quantity,
      unitPrice: product.price,
      lineTotal: product.price * item.quantity,
    });
  });
  if (unknown.length > 0) throw new ValidationError('Some products do not exist', unknown);

  const currencies = new Set(lines.map((line) => byId.get(line.productId)?.currency));
  if (currencies.size !== 1) {
    throw new ValidationError('All products of an order must share one currency', [
      { path: 'items', message: `found ${[...currencies].join(', ')}` },
    ]);
  }
  return {
    lines,
    total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
    currency: [...currencies][0] as string,
  };
}
