import type { CatalogSnapshot } from './catalog';
import {
  firstAnswer,
  isNotAvailable,
  notAvailable,
  type ChainAnswer,
  type ChainLink,
  type ChainOptions,
  type NotAvailable,
} from './chain';
import { ProductRequiredError, UnknownProductError } from './errors';
import { rankForYou, rankPopular, type RankedItem } from './for-you';
import type { ModelRecommender, PurchaseHistory, RealtimeSignals } from './ports';
import { rankBoughtTogether, rankSimilar, rankTrending } from './realtime-rankers';
import {
  ANCHORED_TYPES,
  type CatalogProduct,
  type RecommendationQuery,
  type RecommendationSource,
  type RecommendedItem,
} from './recommendation';

/** Most items asked of the model (Personalize allows 500): enough to leave some out and still fill the list. */
export const MODEL_MAX_RESULTS = 100;
/** How many more items than asked for are requested of the model, for those left out. */
export const MODEL_EXTRA_RESULTS = 25;

export interface RecommendationSources {
  readonly catalog: CatalogSnapshot;
  readonly model: ModelRecommender;
  readonly signals: RealtimeSignals;
}

export interface Recommendations extends ChainAnswer<RecommendedItem, RecommendationSource> {
  /**
   * True when a signed-in shopper's `for-you` list was made without knowing what they bought: their
   * orders could not be read (`purchaseHistoryError` says why) or were not read in time.
   */
  readonly purchasesUnknown: boolean;
  readonly purchaseHistoryError?: unknown;
}

/**
 * The recommendations for `query`: from the trained model, else from the platform's live data,
 * else the catalog's static popular list, so the answer is never empty while anything is in stock.
 * Only products in stock are recommended, never the product a list is about, and for `for-you`
 * never one the shopper has already bought (the orders are the source of truth, whatever the
 * model's own filter did).
 * @throws ProductRequiredError when a `similar` or `bought-together` query names no product.
 * @throws UnknownProductError when it names one the catalog does not have.
 */
export async function recommend(
  query: RecommendationQuery,
  sources: RecommendationSources,
  options: ChainOptions,
): Promise<Recommendations> {
  const { catalog, model, signals } = sources;
  const { type, userId, limit } = query;
  const anchor = anchorOf(query, catalog);
  const candidates = catalog.products.filter(
    (product) => product.stock > 0 && product.productId !== anchor?.productId,
  );
  const candidateIds = new Map(candidates.map((product) => [product.productId, product]));
  const history = purchaseHistoryOf(type === 'for-you' ? userId : undefined, signals);
  const excluded = () => history.known?.purchased ?? new Set<string>();

  const personalize: ChainLink<RecommendationQuery, RecommendedItem, RecommendationSource> = {
    source: 'personalize',
    answer: async (_, signal) => {
      if (type === 'for-you' && userId === undefined)
        return notAvailable('for-you needs a signed-in shopper');
      const answer = await model.recommend(
        {
          type,
          ...(userId !== undefined && { userId }),
          ...(anchor && { itemId: anchor.productId }),
          numResults: Math.min(MODEL_MAX_RESULTS, limit + MODEL_EXTRA_RESULTS),
        },
        signal,
      );
      if (isNotAvailable(answer)) return answer;
      await history.settled;
      const purchased = excluded();
      const items: RecommendedItem[] = [];
      for (const { itemId, score } of answer) {
        const product = candidateIds.get(itemId);
        if (!product || purchased.has(itemId) || items.some((item) => item.productId === itemId)) continue;
        items.push({ ...itemOf(product), ...(score !== undefined && { score }) });
        if (items.length === limit) break;
      }
      return items;
    },
  };

  const realtime: ChainLink<RecommendationQuery, RecommendedItem, RecommendationSource> = {
    source: 'realtime',
    answer: async (_, signal) => {
      const ranked = await rankRealtime(signal);
      if (isNotAvailable(ranked)) return ranked;
      return ranked.length > 0 ? ranked : notAvailable(`no live data for ${type} yet`);
    },
  };

  async function rankRealtime(signal: AbortSignal): Promise<RankedItem[] | NotAvailable> {
    switch (type) {
      case 'trending':
        return rankTrending(candidates, await signals.popularity(signal), limit);
      case 'similar':
        if (!anchor) return notAvailable('similar needs a product');
        return rankSimilar(anchor, candidates, await signals.popularity(signal), limit);
      case 'bought-together': {
        if (!anchor) return notAvailable('bought-together needs a product');
        const coPurchases = await signals.coPurchases(anchor.productId, signal);
        return rankBoughtTogether(anchor.productId, coPurchases, candidates, limit);
      }
      case 'for-you': {
        if (userId === undefined) return notAvailable('for-you needs a signed-in shopper');
        const [activity, popularity] = await Promise.all([
          signals.recentActivity(userId, signal),
          signals.popularity(signal),
          history.settled,
        ]);
        // Ranked over the whole catalog, so that a sold-out product still says which categories
        // the shopper likes; then narrowed to what can be recommended.
        return rankForYou({
          products: catalog.products,
          popularity,
          purchased: excluded(),
          recent: [...(history.known?.recent ?? []), ...activity],
          limit: catalog.products.length,
        })
          .filter((item) => candidateIds.has(item.productId))
          .slice(0, limit);
      }
    }
  }

  const popular = {
    source: 'popular' as const,
    // The static list has no measured score: only the order says anything.
    answer: () => rankPopular(candidates, catalog.popularity, limit, excluded()).map(itemOf),
  };

  const answer = await firstAnswer([personalize, realtime], popular, query, options);
  return {
    ...answer,
    items: answer.items.map((item) => withPicture(item, catalog)),
    purchasesUnknown: type === 'for-you' && userId !== undefined && history.known === undefined,
    ...(history.error !== undefined && { purchaseHistoryError: history.error }),
  };
}

function anchorOf(query: RecommendationQuery, catalog: CatalogSnapshot): CatalogProduct | undefined {
  if (!ANCHORED_TYPES.has(query.type)) return undefined;
  if (query.productId === undefined) throw new ProductRequiredError(query.type);
  const anchor = catalog.get(query.productId);
  if (!anchor) throw new UnknownProductError(query.productId);
  return anchor;
}

/** The shopper's purchases, read once per request, started at once and awaited by the links that need them. */
function purchaseHistoryOf(userId: string | undefined, signals: RealtimeSignals) {
  const state: { known?: PurchaseHistory; error?: unknown; settled: Promise<void> } = {
    settled: Promise.resolve(),
  };
  if (userId === undefined) return state;
  state.settled = signals.purchaseHistory(userId).then(
    (history) => {
      state.known = history;
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return state;
}

function itemOf(product: { productId: string; name: string; price: number }): RecommendedItem {
  return { productId: product.productId, name: product.name, price: product.price };
}

/** Each source names products; the catalog adds what a shop window shows of them. */
function withPicture(item: RecommendedItem, catalog: CatalogSnapshot): RecommendedItem {
  const product = catalog.get(item.productId);
  return {
    ...item,
    ...(product?.currency && { currency: product.currency }),
    ...(product?.imagePath && { imagePath: product.imagePath }),
  };
}
