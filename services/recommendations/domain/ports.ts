import type { NotAvailable } from './chain';
import type { RecentActivity } from './for-you';
import type { RecommendationType } from './recommendation';

/** What is asked of the trained model (Amazon Personalize in AWS). */
export interface ModelRequest {
  readonly type: RecommendationType;
  /** The shopper, when signed in. */
  readonly userId?: string;
  /** The product a `similar` or `bought-together` list is about. */
  readonly itemId?: string;
  /** How many items to ask for. */
  readonly numResults: number;
}

export interface ModelItem {
  readonly itemId: string;
  readonly score?: number;
}

/** The trained model's recommendations (adapters/personalize-recommender.ts). */
export interface ModelRecommender {
  /**
   * Item ids, best first; `NotAvailable` when no model is trained for this kind of
   * recommendation, or the kind needs what the request lacks (a user).
   * @throws whatever keeps the model from answering (the chain moves on)
   */
  recommend(request: ModelRequest, signal: AbortSignal): Promise<readonly ModelItem[] | NotAvailable>;
}

/** What a shopper has bought, from the orders (the source of truth). */
export interface PurchaseHistory {
  /** Every product of the shopper's orders. */
  readonly purchased: ReadonlySet<string>;
  /** Each product bought, once, with when it was last ordered (epoch seconds). */
  readonly recent: readonly RecentActivity[];
}

/** The platform's own live data (adapters/dynamodb-signals.ts). */
export interface RealtimeSignals {
  /** Each product's popularity over the last hour (`livePopularity`); products with none left out. */
  popularity(signal: AbortSignal): Promise<ReadonlyMap<string, number>>;
  /** How many orders had each other product together with `productId`. */
  coPurchases(productId: string, signal: AbortSignal): Promise<ReadonlyMap<string, number>>;
  /** The products the shopper viewed or carted recently (epoch seconds), from the clickstream. */
  recentActivity(userId: string, signal: AbortSignal): Promise<readonly RecentActivity[]>;
  purchaseHistory(userId: string): Promise<PurchaseHistory>;
}
