import { catalogSnapshot } from './catalog';
import { notAvailable } from './chain';
import { ProductRequiredError, UnknownProductError } from './errors';
import type { RecentActivity } from './for-you';
import type { ModelItem, ModelRecommender, ModelRequest, PurchaseHistory, RealtimeSignals } from './ports';
import { recommend } from './recommend';
import { RECOMMENDATION_TYPES, type CatalogProduct, type RecommendationQuery } from './recommendation';

const product = (productId: string, category: string, stock = 5): CatalogProduct => ({
  productId,
  name: `Name of ${productId}`,
  category,
  price: 1999,
  currency: 'USD',
  stock,
});
const CATALOG = catalogSnapshot([
  product('kit-1', 'kitchen'),
  product('kit-2', 'kitchen'),
  product('kit-3', 'kitchen'),
  product('kit-4', 'kitchen', 0),
  product('out-1', 'outdoors'),
  product('out-2', 'outdoors'),
  product('toy-1', 'toys'),
]);
const OPTIONS = { budgetMs: 1_000, perLinkTimeoutMs: 600 };
const ids = (items: readonly { productId: string }[]) => items.map((item) => item.productId);

/** A trained model answering `items` (or failing), noting what it was asked. */
function model(answer: readonly ModelItem[] | Error | 'not trained') {
  const requests: ModelRequest[] = [];
  const recommender: ModelRecommender = {
    recommend: async (request) => {
      requests.push(request);
      if (answer === 'not trained') return notAvailable('not trained');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return Object.assign(recommender, { requests });
}

function signals(data: {
  popularity?: Record<string, number>;
  coPurchases?: Record<string, number>;
  activity?: RecentActivity[];
  orders?: PurchaseHistory | Error;
  failing?: boolean;
}): RealtimeSignals {
  const fail = async () => {
    throw new Error('DynamoDB is down');
  };
  return {
    popularity: data.failing ? fail : async () => new Map(Object.entries(data.popularity ?? {})),
    coPurchases: data.failing ? fail : async () => new Map(Object.entries(data.coPurchases ?? {})),
    recentActivity: data.failing ? fail : async () => data.activity ?? [],
    purchaseHistory: async () => {
      if (data.orders instanceof Error) throw data.orders;
      return data.orders ?? { purchased: new Set(), recent: [] };
    },
  };
}

const ask = (
  query: Partial<RecommendationQuery>,
  sources: { model?: ModelRecommender; signals?: RealtimeSignals },
) =>
  recommend(
    { type: 'trending', limit: 10, ...query },
    {
      catalog: CATALOG,
      model: sources.model ?? model('not trained'),
      signals: sources.signals ?? signals({}),
    },
    OPTIONS,
  );

describe('recommend', () => {
  describe('from the trained model', () => {
    it('maps its item ids to catalog products with their scores, leaving out unknown and sold-out ones', async () => {
      const answer = await ask(
        { type: 'trending', limit: 2 },
        {
          model: model([
            { itemId: 'gone' },
            { itemId: 'kit-4' },
            { itemId: 'out-2', score: 0.9 },
            { itemId: 'kit-1' },
            { itemId: 'toy-1' },
          ]),
        },
      );

      expect(answer.source).toBe('personalize');
      expect(answer.items).toEqual([
        { productId: 'out-2', name: 'Name of out-2', price: 1999, currency: 'USD', score: 0.9 },
        { productId: 'kit-1', name: 'Name of kit-1', price: 1999, currency: 'USD' },
      ]);
    });

    it('asks about the product of a similar list, for the shopper when known, for more than the limit', async () => {
      const trained = model([{ itemId: 'kit-2' }]);

      await ask({ type: 'similar', productId: 'kit-1', userId: 'user-1', limit: 5 }, { model: trained });

      expect(trained.requests).toEqual([
        { type: 'similar', itemId: 'kit-1', userId: 'user-1', numResults: 30 },
      ]);
    });

    it('never returns a product the shopper bought, whatever the model says', async () => {
      const answer = await ask(
        { type: 'for-you', userId: 'user-1' },
        {
          model: model([{ itemId: 'kit-1' }, { itemId: 'kit-2' }]),
          signals: signals({
            orders: { purchased: new Set(['kit-1']), recent: [{ productId: 'kit-1', at: 1 }] },
          }),
        },
      );

      expect(answer).toMatchObject({ source: 'personalize', items: [{ productId: 'kit-2' }] });
    });

    it('never returns the product a list is about', async () => {
      const answer = await ask(
        { type: 'bought-together', productId: 'kit-1' },
        { model: model([{ itemId: 'kit-1' }, { itemId: 'out-1' }]) },
      );

      expect(ids(answer.items)).toEqual(['out-1']);
    });
  });

  describe('from live data', () => {
    it('serves trending when no model is trained, which is not a fallback', async () => {
      const answer = await ask(
        { type: 'trending' },
        { signals: signals({ popularity: { 'out-1': 3, 'toy-1': 8 } }) },
      );

      expect(answer).toMatchObject({ source: 'realtime', fallback: false });
      expect(answer.items).toEqual([
        { productId: 'toy-1', name: 'Name of toy-1', price: 1999, currency: 'USD', score: 8 },
        { productId: 'out-1', name: 'Name of out-1', price: 1999, currency: 'USD', score: 3 },
      ]);
    });

    it('serves when the model fails, which is a fallback', async () => {
      const answer = await ask(
        { type: 'trending' },
        { model: model(new Error('boom')), signals: signals({ popularity: { 'out-1': 3 } }) },
      );

      expect(answer).toMatchObject({ source: 'realtime', fallback: true });
    });

    it('serves similar products: same category, in stock, not the product itself', async () => {
      const answer = await ask(
        { type: 'similar', productId: 'kit-1' },
        { signals: signals({ popularity: { 'kit-3': 2 } }) },
      );

      expect(answer.source).toBe('realtime');
      expect(ids(answer.items)).toEqual(['kit-3', 'kit-2']);
    });

    it('serves products bought together from the co-purchase counts', async () => {
      const answer = await ask(
        { type: 'bought-together', productId: 'kit-1' },
        { signals: signals({ coPurchases: { 'toy-1': 2, 'out-2': 5 } }) },
      );

      expect(answer.source).toBe('realtime');
      expect(ids(answer.items)).toEqual(['out-2', 'toy-1']);
    });

    it("serves for-you from the shopper's orders and clickstream, minus what they bought", async () => {
      const answer = await ask(
        { type: 'for-you', userId: 'user-1', limit: 3 },
        {
          signals: signals({
            orders: { purchased: new Set(['kit-1']), recent: [{ productId: 'kit-1', at: 100 }] },
            activity: [{ productId: 'out-1', at: 50 }],
            popularity: { 'kit-2': 1, 'kit-3': 5 },
          }),
        },
      );

      expect(answer).toMatchObject({ source: 'realtime', fallback: false, purchasesUnknown: false });
      expect(ids(answer.items)).toEqual(['kit-3', 'kit-2', 'out-1']);
    });
  });

  describe('from the static popular list', () => {
    it('serves an anonymous for-you list, without scores, as the first available source', async () => {
      const answer = await ask({ type: 'for-you' }, { model: model([{ itemId: 'kit-1' }]) });

      expect(answer).toMatchObject({ source: 'popular', fallback: false });
      expect(answer.items[0]).toEqual({
        productId: 'kit-1',
        name: 'Name of kit-1',
        price: 1999,
        currency: 'USD',
      });
      expect(ids(answer.items)).toEqual(['kit-1', 'out-1', 'toy-1', 'kit-2', 'out-2', 'kit-3']);
    });

    it('serves when the model and live data fail, leaving out what the shopper bought', async () => {
      const answer = await ask(
        { type: 'for-you', userId: 'user-1' },
        {
          model: model(new Error('boom')),
          signals: signals({ failing: true, orders: { purchased: new Set(['kit-1', 'out-1']), recent: [] } }),
        },
      );

      expect(answer).toMatchObject({ source: 'popular', fallback: true });
      expect(ids(answer.items)).toEqual(['toy-1', 'kit-2', 'out-2', 'kit-3']);
    });

    it('says when it could not read the orders of the shopper', async () => {
      const failure = new Error('orders unavailable');
      const answer = await ask(
        { type: 'for-you', userId: 'user-1' },
        { signals: signals({ orders: failure, failing: true }) },
      );

      expect(answer).toMatchObject({
        source: 'popular',
        purchasesUnknown: true,
        purchaseHistoryError: failure,
      });
    });
  });

  it('answers every kind of list, whatever the sources do, never empty', async () => {
    const models = [model('not trained'), model(new Error('down')), model([]), model([{ itemId: 'out-2' }])];
    const signalSets = [signals({ failing: true }), signals({}), signals({ popularity: { 'toy-1': 1 } })];
    for (const type of RECOMMENDATION_TYPES) {
      for (const trained of models) {
        for (const live of signalSets) {
          for (const userId of [undefined, 'user-1']) {
            const productId = type === 'similar' || type === 'bought-together' ? 'kit-1' : undefined;
            const answer = await ask({ type, productId, userId }, { model: trained, signals: live });
            expect(answer.items.length).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('refuses a list about a product the catalog does not have, or about no product', async () => {
    await expect(ask({ type: 'similar', productId: 'nope' }, {})).rejects.toBeInstanceOf(UnknownProductError);
    await expect(ask({ type: 'bought-together' }, {})).rejects.toBeInstanceOf(ProductRequiredError);
  });
});
