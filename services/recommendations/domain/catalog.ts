import type { CatalogProduct } from './recommendation';

/** The catalog as recommendations see it at one moment: every product, and the static popular order. */
export interface CatalogSnapshot {
  /** Every product, sold out or not, in product id order. */
  readonly products: readonly CatalogProduct[];
  get(productId: string): CatalogProduct | undefined;
  /** The static popularity of each product that can be sold now (`staticPopularity`). */
  readonly popularity: ReadonlyMap<string, number>;
}

export function catalogSnapshot(products: readonly CatalogProduct[]): CatalogSnapshot {
  const sorted = [...products].sort((a, b) => compare(a.productId, b.productId));
  const byId = new Map(sorted.map((product) => [product.productId, product]));
  return { products: sorted, get: (productId) => byId.get(productId), popularity: staticPopularity(sorted) };
}

/**
 * The popularity the last link of the chain ranks by, when nothing live is known. The catalog
 * records no sales, ratings or rank, so none is invented: the static list is the catalog's own
 * order made fair to every category. Products that can be sold now are dealt out one category at a
 * time (categories in name order, each category's products in product id order): the first product
 * of every category, then the second of every category, and so on. A product's popularity is how
 * many products come after it in that order, so the first has the highest and the last 1. Sold-out
 * products have none (and are not in the map).
 */
export function staticPopularity(products: readonly CatalogProduct[]): Map<string, number> {
  const byCategory = new Map<string, CatalogProduct[]>();
  for (const product of [...products].sort((a, b) => compare(a.productId, b.productId))) {
    if (product.stock <= 0) continue;
    const category = byCategory.get(product.category) ?? [];
    category.push(product);
    byCategory.set(product.category, category);
  }
  const categories = [...byCategory.keys()].sort(compare).map((name) => byCategory.get(name) ?? []);
  const rounds = Math.max(0, ...categories.map((category) => category.length));
  const dealt: CatalogProduct[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const category of categories) {
      const product = category[round];
      if (product) dealt.push(product);
    }
  }
  return new Map(dealt.map((product, index) => [product.productId, dealt.length - index]));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
