import type { CatalogItem } from './for-you';
import { livePopularity, rankBoughtTogether, rankSimilar, rankTrending } from './realtime-rankers';

const product = (productId: string, category: string): CatalogItem => ({
  productId,
  name: productId,
  category,
  price: 500,
});
const PRODUCTS = [
  product('kit-1', 'kitchen'),
  product('kit-2', 'kitchen'),
  product('kit-3', 'kitchen'),
  product('out-1', 'outdoors'),
];
const ids = (items: readonly { productId: string }[]) => items.map((item) => item.productId);

describe('livePopularity', () => {
  it('sums each product over the minutes, a purchase weighing 5, an add-to-cart 3 and a view 1', () => {
    const popularity = livePopularity([
      { productId: 'kit-1', views: 4, addToCarts: 1, purchases: 0 },
      { productId: 'kit-1', views: 1, addToCarts: 0, purchases: 1 },
      { productId: 'out-1', views: 2, addToCarts: 0, purchases: 0 },
      { productId: 'idle', views: 0, addToCarts: 0, purchases: 0 },
    ]);

    expect(popularity).toEqual(
      new Map([
        ['kit-1', 5 + 3 + 5],
        ['out-1', 2],
      ]),
    );
  });
});

describe('rankTrending', () => {
  it('ranks only the products with live activity, most popular first', () => {
    const ranked = rankTrending(
      PRODUCTS,
      new Map([
        ['out-1', 2],
        ['kit-2', 9],
        ['unknown', 50],
      ]),
      10,
    );

    expect(ranked).toEqual([
      { productId: 'kit-2', name: 'kit-2', price: 500, score: 9 },
      { productId: 'out-1', name: 'out-1', price: 500, score: 2 },
    ]);
  });

  it('has nothing to rank without live activity', () => {
    expect(rankTrending(PRODUCTS, new Map(), 10)).toEqual([]);
  });
});

describe('rankSimilar', () => {
  it("ranks the other products of the anchor's category by live popularity, then by product id", () => {
    const ranked = rankSimilar(
      PRODUCTS[0]!,
      PRODUCTS,
      new Map([
        ['kit-3', 4],
        ['out-1', 100],
      ]),
      10,
    );

    expect(ids(ranked)).toEqual(['kit-3', 'kit-2']);
  });
});

describe('rankBoughtTogether', () => {
  it('ranks the products ordered with the anchor by how often, leaving out the anchor and unknown products', () => {
    const coPurchases = new Map([
      ['kit-2', 3],
      ['out-1', 7],
      ['kit-1', 99],
      ['not-in-catalog', 50],
      ['kit-3', 0],
    ]);

    const ranked = rankBoughtTogether('kit-1', coPurchases, PRODUCTS, 10);

    expect(ranked.map((item) => [item.productId, item.score])).toEqual([
      ['out-1', 7],
      ['kit-2', 3],
    ]);
  });
});
