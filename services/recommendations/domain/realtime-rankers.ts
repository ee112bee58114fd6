import type { ProductMinute } from '../../analytics/domain/minute-aggregate-reader';
import { topProducts } from '../../analytics/domain/top-products';
import { rankPopular, type CatalogItem, type RankedItem } from './for-you';

/**
 * How much one event counts towards a product's live popularity: a purchase says more than an
 * add-to-cart, which says more than a view.
 */
export const POPULARITY_WEIGHTS = { views: 1, addToCarts: 3, purchases: 5 } as const;

/**
 * Each product's live popularity from per-minute aggregates (analytics' minute-aggregates.ts):
 * its views, add-to-carts and purchases over the minutes, weighted by `POPULARITY_WEIGHTS`.
 * Products with no activity are left out.
 */
export function livePopularity(productMinutes: readonly ProductMinute[]): Map<string, number> {
  const popularity = new Map<string, number>();
  for (const { productId, views, addToCarts, purchases } of topProducts(productMinutes, Infinity)) {
    const weighted =
      views * POPULARITY_WEIGHTS.views +
      addToCarts * POPULARITY_WEIGHTS.addToCarts +
      purchases * POPULARITY_WEIGHTS.purchases;
    if (weighted > 0) popularity.set(productId, weighted);
  }
  return popularity;
}

/** Trending: the products with live activity, most popular first, scored with their popularity. */
export function rankTrending(
  products: readonly CatalogItem[],
  popularity: ReadonlyMap<string, number>,
  limit: number,
): RankedItem[] {
  const active = products.filter((product) => (popularity.get(product.productId) ?? 0) > 0);
  return rankPopular(active, popularity, limit);
}

/**
 * Similar to `anchor`: the other products of its category, most popular now first (those with no
 * live activity after them, by product id), scored with their popularity.
 */
export function rankSimilar(
  anchor: CatalogItem,
  products: readonly CatalogItem[],
  popularity: ReadonlyMap<string, number>,
  limit: number,
): RankedItem[] {
  const sameCategory = products.filter(
    (product) => product.category === anchor.category && product.productId !== anchor.productId,
  );
  return rankPopular(sameCategory, popularity, limit);
}

/**
 * Bought together with `anchorId`: the products that appear in orders with it, most often first
 * (equal counts by product id), scored with that count.
 */
export function rankBoughtTogether(
  anchorId: string,
  coPurchases: ReadonlyMap<string, number>,
  products: readonly CatalogItem[],
  limit: number,
): RankedItem[] {
  const together = products.filter(
    (product) => product.productId !== anchorId && (coPurchases.get(product.productId) ?? 0) > 0,
  );
  return rankPopular(together, coPurchases, limit);
}
