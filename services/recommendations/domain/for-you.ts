/**
 * The real-time rankings that need only the catalog and a popularity figure per product: the
 * shopper's "for you" list and the plain popular list. Pure functions, shared by the
 * recommendations API (the real-time and popular links of its fallback chain) and the offline
 * quality check.
 */

/** A catalog product as the rankers see it. `price` is in the currency's minor unit (cents). */
export interface CatalogItem {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
  readonly currency?: string;
}

/** A recommended product: the higher the score, the better (scores compare within one answer). */
export interface RankedItem {
  readonly productId: string;
  readonly name: string;
  readonly price: number;
  readonly score: number;
}

/** Something the shopper did with a product (viewed, carted, bought), and when. */
export interface RecentActivity {
  readonly productId: string;
  /** When it happened, in any unit that grows with time (epoch seconds in the API); only the order matters. */
  readonly at: number;
}

export interface ForYouInput {
  readonly products: readonly CatalogItem[];
  /** How popular each product is now (products left out count as 0). */
  readonly popularity: ReadonlyMap<string, number>;
  /** Never recommended. */
  readonly purchased: ReadonlySet<string>;
  readonly recent: readonly RecentActivity[];
  readonly limit: number;
}

/**
 * "For you" without a trained model: the categories the shopper touched recently, each weighted by
 * how recently (the newest distinct product weighs 1, the next 1/2, then 1/3…, summed per
 * category), and within them the products ranked by popularity; already purchased products are
 * left out. When those categories run out before `limit`, the list is filled with the most popular
 * other products, below every category match.
 *
 * Scores: a product of a recent category scores `1 + affinity × reach`, in (1, 2]; a filler scores
 * `reach`, in (0, 1], where `affinity` is its category's weight over the heaviest category's and
 * `reach = (1 + popularity) / (1 + highest popularity)`. Equal scores are ordered by product id.
 *
 * @returns no products when none of the recent products is in the catalog: there is nothing
 *   personal to go on, and the caller should say so rather than pass plain popularity off as
 *   personal.
 */
export function rankForYou(input: ForYouInput): RankedItem[] {
  const { products, popularity, purchased, recent, limit } = input;
  const affinity = categoryAffinity(products, recent);
  if (affinity.size === 0 || limit <= 0) return [];

  const heaviest = Math.max(...affinity.values());
  const highestPopularity = maxPopularity(products, popularity);
  const ranked = products
    .filter((product) => !purchased.has(product.productId))
    .map((product) => {
      const reach = (1 + popularityOf(popularity, product.productId)) / (1 + highestPopularity);
      const weight = affinity.get(product.category);
      const score = weight === undefined ? reach : 1 + (weight / heaviest) * reach;
      return rankedItem(product, score);
    });
  return ranked.sort(byScore).slice(0, limit);
}

/**
 * The most popular products, most first (equal popularity by product id), leaving out `exclude`;
 * each scored with its popularity (0 for products `popularity` does not know).
 */
export function rankPopular(
  products: readonly CatalogItem[],
  popularity: ReadonlyMap<string, number>,
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): RankedItem[] {
  if (limit <= 0) return [];
  return products
    .filter((product) => !exclude.has(product.productId))
    .map((product) => rankedItem(product, popularityOf(popularity, product.productId)))
    .sort(byScore)
    .slice(0, limit);
}

/** Each recent category's weight: 1/(1 + i) for the i-th most recent distinct product in it, summed. */
function categoryAffinity(
  products: readonly CatalogItem[],
  recent: readonly RecentActivity[],
): Map<string, number> {
  const categoryOf = new Map(products.map((product) => [product.productId, product.category]));
  const newestFirst = [...recent].sort((a, b) => b.at - a.at || compareStrings(a.productId, b.productId));
  const seen = new Set<string>();
  const affinity = new Map<string, number>();
  for (const { productId } of newestFirst) {
    const category = categoryOf.get(productId);
    if (category === undefined || seen.has(productId)) continue;
    const weight = 1 / (1 + seen.size);
    seen.add(productId);
    affinity.set(category, (affinity.get(category) ?? 0) + weight);
  }
  return affinity;
}

function maxPopularity(products: readonly CatalogItem[], popularity: ReadonlyMap<string, number>): number {
  return products.reduce((max, product) => Math.max(max, popularityOf(popularity, product.productId)), 0);
}

function popularityOf(popularity: ReadonlyMap<string, number>, productId: string): number {
  const value = popularity.get(productId);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

function rankedItem(product: CatalogItem, score: number): RankedItem {
  return { productId: product.productId, name: product.name, price: product.price, score };
}

function byScore(a: RankedItem, b: RankedItem): number {
  return b.score - a.score || compareStrings(a.productId, b.productId);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
