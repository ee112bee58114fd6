import { rankForYou, rankPopular, type RecentActivity } from '../../domain/for-you';
import type { SyntheticEvent, SyntheticShop } from './synthetic-shop';

/**
 * The offline quality check of the real-time `for-you` list against the static popular list, on a
 * synthetic shop (./synthetic-shop.ts).
 *
 * Split: for each shopper, the last session with a purchase is held out; the sessions before it
 * are the training part. (Its own views are held out too: a recommender that saw them just before
 * the purchase would have it easy.) Shoppers with no session before it are left out.
 *
 * What each ranker gets, from the training part only, as the platform would have it:
 * - popularity: every shopper's views and purchases, per product;
 * - `for-you`: the shopper's activity per product with its latest time (what the `USER#` items of
 *   AnalyticsTable hold) and the products they bought (left out of the list);
 * - popular: the same top list for everyone; "popular minus purchased" also leaves out what the
 *   shopper bought.
 *
 * Hit rate@k: the share of held-out purchases (each distinct product of the held-out session once)
 * that are among the shopper's top k.
 */
export interface HitRates {
  readonly seed: number;
  /** Shoppers evaluated (with a held-out purchase and some training activity). */
  readonly users: number;
  readonly trainingEvents: number;
  readonly heldOutPurchases: number;
  readonly k: number;
  readonly forYou: number;
  readonly popular: number;
  readonly popularMinusPurchased: number;
}

export function hitRates(shop: SyntheticShop, k = 10): HitRates {
  const byUser = new Map<string, SyntheticEvent[]>();
  for (const event of shop.events) {
    const events = byUser.get(event.userId);
    if (events) events.push(event);
    else byUser.set(event.userId, [event]);
  }

  const splits: { training: SyntheticEvent[]; heldOut: Set<string> }[] = [];
  for (const events of byUser.values()) {
    const purchaseSessions = events
      .filter((event) => event.type === 'purchase')
      .map((event) => event.session);
    if (purchaseSessions.length === 0) continue;
    const testSession = Math.max(...purchaseSessions);
    const training = events.filter((event) => event.session < testSession);
    if (training.length === 0) continue;
    const heldOut = new Set(
      events
        .filter((event) => event.session === testSession && event.type === 'purchase')
        .map((event) => event.productId),
    );
    splits.push({ training, heldOut });
  }

  const popularity = new Map<string, number>();
  for (const { training } of splits) {
    for (const { productId } of training) popularity.set(productId, (popularity.get(productId) ?? 0) + 1);
  }
  // Training events of shoppers left out (no held-out purchase) count for popularity too.
  const evaluated = new Set(splits.flatMap(({ training }) => (training[0] ? [training[0].userId] : [])));
  for (const [userId, events] of byUser) {
    if (evaluated.has(userId)) continue;
    for (const { productId } of events) popularity.set(productId, (popularity.get(productId) ?? 0) + 1);
  }

  const staticPopular = new Set(rankPopular(shop.products, popularity, k).map((item) => item.productId));
  let heldOutPurchases = 0;
  let trainingEvents = 0;
  const hits = { forYou: 0, popular: 0, popularMinusPurchased: 0 };
  for (const { training, heldOut } of splits) {
    trainingEvents += training.length;
    const purchased = new Set(
      training.filter((event) => event.type === 'purchase').map((event) => event.productId),
    );
    const forYou = new Set(
      rankForYou({
        products: shop.products,
        popularity,
        purchased,
        recent: latestActivity(training),
        limit: k,
      }).map((item) => item.productId),
    );
    const popularMinusPurchased = new Set(
      rankPopular(shop.products, popularity, k, purchased).map((item) => item.productId),
    );
    for (const productId of heldOut) {
      heldOutPurchases += 1;
      if (forYou.has(productId)) hits.forYou += 1;
      if (staticPopular.has(productId)) hits.popular += 1;
      if (popularMinusPurchased.has(productId)) hits.popularMinusPurchased += 1;
    }
  }

  const rate = (count: number) => (heldOutPurchases === 0 ? 0 : count / heldOutPurchases);
  return {
    seed: shop.seed,
    users: splits.length,
    trainingEvents,
    heldOutPurchases,
    k,
    forYou: rate(hits.forYou),
    popular: rate(hits.popular),
    popularMinusPurchased: rate(hits.popularMinusPurchased),
  };
}

/** One entry per product with the latest time the shopper touched it: what a `USER#` item keeps. */
function latestActivity(events: readonly SyntheticEvent[]): RecentActivity[] {
  const latest = new Map<string, number>();
  for (const { productId, at } of events) latest.set(productId, Math.max(latest.get(productId) ?? at, at));
  return [...latest].map(([productId, at]) => ({ productId, at }));
}
