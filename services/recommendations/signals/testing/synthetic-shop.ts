import { SAMPLE_CATALOG } from '../../../catalog/data/sample-catalog';
import type { CatalogItem } from '../../domain/for-you';

/**
 * A made-up shop to check recommendations offline: shoppers with category preferences browsing and
 * buying the real sample catalog (150 products in 10 categories) over a month. The same options
 * and seed give the same shop, event for event.
 *
 * How a shopper behaves:
 * - Every product has a global popularity: products are ranked in a random (seeded) order and the
 *   product of rank r is drawn with weight 1 / r^popularitySkew, so a few products sell to
 *   everyone. This is what makes the plain popular list a strong baseline.
 * - Every shopper prefers 1 to 3 categories. Each product they look at comes, with probability
 *   `preferenceStrength`, from one of those categories (a product of the category, by global
 *   popularity), and otherwise from the whole catalog (by global popularity): interest in
 *   something else, and the bestsellers everybody looks at.
 * - A shopper has 3 to 8 sessions over the month. A session views 2 to 8 products; 60% of
 *   sessions end with 1 or 2 purchases, each one of the session's views (70%) or an impulse buy
 *   drawn the same way as a view (30%), viewed just before it is bought.
 * - The catalog sells durable goods (skillets, tents, lamps…): nobody buys a product they already
 *   own, which is why `for-you` leaves purchased products out. (An impulse buy drawn among the
 *   shopper's own products is not made.)
 */
export interface SyntheticShopOptions {
  /** @default 1 */
  readonly seed?: number;
  /** @default 500 */
  readonly users?: number;
  /** @default the sample catalog */
  readonly products?: readonly CatalogItem[];
  /**
   * The share of a shopper's views and impulse buys drawn from their preferred categories; 0 for
   * shoppers with no preference at all (everything by global popularity).
   * @default 0.7
   */
  readonly preferenceStrength?: number;
  /** The exponent of the global popularity's power law. @default 1.1 */
  readonly popularitySkew?: number;
  /** When the month starts, epoch seconds. @default 2026-11-01T00:00:00Z */
  readonly start?: number;
}

export type SyntheticEventType = 'view' | 'purchase';

export interface SyntheticEvent {
  readonly userId: string;
  readonly productId: string;
  readonly type: SyntheticEventType;
  /** Epoch seconds. */
  readonly at: number;
  /** The shopper's session, numbered from 0 in time order. */
  readonly session: number;
}

export interface SyntheticShopper {
  readonly userId: string;
  readonly preferredCategories: readonly string[];
}

export interface SyntheticShop {
  readonly seed: number;
  readonly products: readonly CatalogItem[];
  readonly shoppers: readonly SyntheticShopper[];
  /** Every event of every shopper, in time order. */
  readonly events: readonly SyntheticEvent[];
}

const MONTH_SECONDS = 30 * 24 * 3600;

export function syntheticShop(options: SyntheticShopOptions = {}): SyntheticShop {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const products = options.products ?? SAMPLE_CATALOG;
  const preferenceStrength = options.preferenceStrength ?? 0.7;
  const start = options.start ?? Date.parse('2026-11-01T00:00:00.000Z') / 1000;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  // Global popularity: a random order of the products, weighted by a power law of the rank.
  const ranked = shuffled(products, random);
  const weights = new Map(
    ranked.map((product, index) => [product.productId, 1 / (index + 1) ** (options.popularitySkew ?? 1.1)]),
  );
  const anyProduct = weightedPicker(ranked, weights, random);
  const categories = [...new Set(products.map((product) => product.category))].sort();
  const inCategory = new Map(
    categories.map((category) => [
      category,
      weightedPicker(
        ranked.filter((product) => product.category === category),
        weights,
        random,
      ),
    ]),
  );

  const shoppers: SyntheticShopper[] = [];
  const events: SyntheticEvent[] = [];
  for (let index = 0; index < (options.users ?? 500); index++) {
    const userId = `shopper-${String(index).padStart(4, '0')}`;
    const preferredCategories = shuffled(categories, random).slice(0, between(1, 3));
    shoppers.push({ userId, preferredCategories });
    const draw = (): CatalogItem => {
      if (random() < preferenceStrength) {
        const category = preferredCategories[Math.floor(random() * preferredCategories.length)] as string;
        return (inCategory.get(category) as () => CatalogItem)();
      }
      return anyProduct();
    };

    // Durable goods: nobody buys the same product twice.
    const owned = new Set<string>();
    const sessionStarts = Array.from(
      { length: between(3, 8) },
      () => start + Math.floor(random() * MONTH_SECONDS),
    ).sort((a, b) => a - b);
    sessionStarts.forEach((sessionStart, session) => {
      let at = sessionStart;
      const event = (type: SyntheticEventType, productId: string) => {
        at += between(10, 240);
        events.push({ userId, productId, type, at, session });
      };
      const viewed: string[] = [];
      for (let view = between(2, 8); view > 0; view--) {
        const { productId } = draw();
        viewed.push(productId);
        event('view', productId);
      }
      if (random() >= 0.6) return;
      for (let purchase = between(1, 2); purchase > 0; purchase--) {
        const candidates = viewed.filter((productId) => !owned.has(productId));
        if (candidates.length > 0 && random() < 0.7) {
          const productId = candidates[Math.floor(random() * candidates.length)] as string;
          owned.add(productId);
          event('purchase', productId);
        } else {
          const { productId } = draw();
          if (owned.has(productId)) continue;
          owned.add(productId);
          event('view', productId);
          event('purchase', productId);
        }
      }
    });
  }
  events.sort((a, b) => a.at - b.at || compareStrings(a.userId, b.userId));
  return { seed, products, shoppers, events };
}

/** Draws items with probability proportional to their weight. */
function weightedPicker(
  items: readonly CatalogItem[],
  weights: ReadonlyMap<string, number>,
  random: () => number,
): () => CatalogItem {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weights.get(item.productId) ?? 0;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return items[low] as CatalogItem;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
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

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
