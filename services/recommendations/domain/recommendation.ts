import type { CatalogItem, RankedItem } from './for-you';

/** The kinds of recommendation the API serves. */
export const RECOMMENDATION_TYPES = ['for-you', 'similar', 'trending', 'bought-together'] as const;
export type RecommendationType = (typeof RECOMMENDATION_TYPES)[number];

/** The kinds that are about one product, named by `productId`. */
export const ANCHORED_TYPES: ReadonlySet<RecommendationType> = new Set(['similar', 'bought-together']);

/** Which link of the fallback chain answered: a trained model, the platform's live data, or the catalog. */
export const RECOMMENDATION_SOURCES = ['personalize', 'realtime', 'popular'] as const;
export type RecommendationSource = (typeof RECOMMENDATION_SOURCES)[number];

/** Most products one answer may hold, and how many it holds unless asked otherwise. */
export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

export interface RecommendationQuery {
  readonly type: RecommendationType;
  /** The product a `similar` or `bought-together` list is about. */
  readonly productId?: string;
  /** The signed-in shopper (Cognito `sub`), when there is one. */
  readonly userId?: string;
  readonly limit: number;
}

/** A catalog product as recommendations need it: `CatalogItem` and whether it can be sold now. */
export interface CatalogProduct extends CatalogItem {
  /** Units that can be sold now; products with none are never recommended. */
  readonly stock: number;
  /** Where the storefront serves the product's picture. */
  readonly imagePath?: string;
}

/** One recommended product. `score` only where the source measured one (not the static list). */
export interface RecommendedItem {
  readonly productId: string;
  readonly name: string;
  readonly price: number;
  /** ISO 4217 code of `price`; the shop's products carry one. */
  readonly currency?: string;
  /** Where the storefront serves the product's picture, so that a list of them needs no other call. */
  readonly imagePath?: string;
  readonly score?: number;
}

export type { CatalogItem, RankedItem };
