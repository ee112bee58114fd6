import { rankForYou, rankPopular, type CatalogItem } from './for-you';

const product = (productId: string, category: string): CatalogItem => ({
  productId,
  name: `Product ${productId}`,
  category,
  price: 1000,
  currency: 'USD',
});

const PRODUCTS = [
  product('kit-1', 'kitchen'),
  product('kit-2', 'kitchen'),
  product('kit-3', 'kitchen'),
  product('out-1', 'outdoors'),
  product('out-2', 'outdoors'),
  product('toy-1', 'toys'),
];
const POPULARITY = new Map([
  ['kit-1', 10],
  ['kit-2', 30],
  ['kit-3', 0],
  ['out-1', 5],
  ['out-2', 50],
  ['toy-1', 100],
]);

describe('rankForYou', () => {
  const rank = (overrides: Partial<Parameters<typeof rankForYou>[0]> = {}) =>
    rankForYou({
      products: PRODUCTS,
      popularity: POPULARITY,
      purchased: new Set(),
      recent: [],
      limit: 10,
      ...overrides,
    });

  it("ranks the shopper's recent category first, by popularity, then fills with the rest by popularity", () => {
    const ranked = rank({ recent: [{ productId: 'kit-3', at: 100 }] });

    expect(ranked.map((item) => item.productId)).toEqual([
      'kit-2',
      'kit-1',
      'kit-3',
      'toy-1',
      'out-2',
      'out-1',
    ]);
  });

  it('never recommends a purchased product', () => {
    const ranked = rank({
      recent: [{ productId: 'kit-1', at: 100 }],
      purchased: new Set(['kit-1', 'kit-2', 'toy-1']),
    });

    expect(ranked.map((item) => item.productId)).toEqual(['kit-3', 'out-2', 'out-1']);
  });

  it('weighs the most recent activity most: at equal popularity, the newest category leads', () => {
    const ranked = rank({
      popularity: new Map(),
      recent: [
        { productId: 'kit-1', at: 100 },
        { productId: 'out-1', at: 300 },
        { productId: 'kit-2', at: 200 },
      ],
    });

    // kitchen: 1/2 + 1/3 = 0.83 against outdoors: 1, so outdoors leads; both above the filler.
    expect(ranked.map((item) => item.productId)).toEqual([
      'out-1',
      'out-2',
      'kit-1',
      'kit-2',
      'kit-3',
      'toy-1',
    ]);
  });

  it('scores category matches in (1, 2] and fillers in (0, 1], best first', () => {
    const ranked = rank({ recent: [{ productId: 'kit-1', at: 1 }] });
    const scores = ranked.map((item) => item.score);

    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const item of ranked) {
      const inCategory = item.productId.startsWith('kit');
      expect(item.score).toBeGreaterThan(inCategory ? 1 : 0);
      expect(item.score).toBeLessThanOrEqual(inCategory ? 2 : 1);
    }
  });

  it('returns at most limit items, with name and price', () => {
    expect(rank({ recent: [{ productId: 'kit-1', at: 1 }], limit: 2 })).toEqual([
      { productId: 'kit-2', name: 'Product kit-2', price: 1000, score: expect.any(Number) },
      { productId: 'kit-1', name: 'Product kit-1', price: 1000, score: expect.any(Number) },
    ]);
  });

  it('returns nothing without recent activity in the catalog: nothing personal to go on', () => {
    expect(rank()).toEqual([]);
    expect(rank({ recent: [{ productId: 'gone-from-catalog', at: 1 }] })).toEqual([]);
  });

  it('orders equal scores by product id, so the same input gives the same list', () => {
    const ranked = rank({ popularity: new Map(), recent: [{ productId: 'out-1', at: 1 }] });

    expect(ranked.map((item) => item.productId)).toEqual([
      'out-1',
      'out-2',
      'kit-1',
      'kit-2',
      'kit-3',
      'toy-1',
    ]);
  });
});

describe('rankPopular', () => {
  it('ranks by popularity, scored with it, leaving out the excluded', () => {
    expect(rankPopular(PRODUCTS, POPULARITY, 3, new Set(['toy-1']))).toEqual([
      { productId: 'out-2', name: 'Product out-2', price: 1000, score: 50 },
      { productId: 'kit-2', name: 'Product kit-2', price: 1000, score: 30 },
      { productId: 'kit-1', name: 'Product kit-1', price: 1000, score: 10 },
    ]);
  });

  it('counts products it has no popularity for as 0, after the others, by product id', () => {
    const ranked = rankPopular(PRODUCTS, new Map([['kit-3', 1]]), 3);

    expect(ranked.map((item) => [item.productId, item.score])).toEqual([
      ['kit-3', 1],
      ['kit-1', 0],
      ['kit-2', 0],
    ]);
  });

  it('returns nothing for a limit of 0', () => {
    expect(rankPopular(PRODUCTS, POPULARITY, 0)).toEqual([]);
  });
});
