import type { ProductMinute } from './minute-aggregate-reader';

/** How many products the dashboard ranks. */
export const TOP_PRODUCTS_LIMIT = 10;

export interface ProductActivity {
  readonly productId: string;
  readonly views: number;
  readonly addToCarts: number;
  readonly purchases: number;
}

/**
 * The products of a window, each summed over its minutes, ranked by purchases, then add-to-carts,
 * then views (most first), then product id, so that equal products always come in the same order;
 * the first `limit` of them.
 */
export function topProducts(
  productMinutes: readonly ProductMinute[],
  limit = TOP_PRODUCTS_LIMIT,
): ProductActivity[] {
  const sums = new Map<string, ProductActivity>();
  for (const { productId, views, addToCarts, purchases } of productMinutes) {
    const sum = sums.get(productId);
    sums.set(productId, {
      productId,
      views: (sum?.views ?? 0) + views,
      addToCarts: (sum?.addToCarts ?? 0) + addToCarts,
      purchases: (sum?.purchases ?? 0) + purchases,
    });
  }
  return [...sums.values()].sort(byRank).slice(0, limit);
}

function byRank(a: ProductActivity, b: ProductActivity): number {
  return (
    b.purchases - a.purchases ||
    b.addToCarts - a.addToCarts ||
    b.views - a.views ||
    (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)
  );
}
