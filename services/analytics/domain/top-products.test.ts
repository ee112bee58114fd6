import type { ProductMinute } from './minute-aggregate-reader';
import { TOP_PRODUCTS_LIMIT, topProducts } from './top-products';

const product = (productId: string, views: number, addToCarts: number, purchases: number): ProductMinute => ({
  productId,
  views,
  addToCarts,
  purchases,
});

describe('topProducts', () => {
  it("sums each product's minutes", () => {
    expect(
      topProducts([product('tent', 3, 1, 0), product('tent', 4, 2, 1), product('tent', 0, 0, 2)]),
    ).toEqual([{ productId: 'tent', views: 7, addToCarts: 3, purchases: 3 }]);
  });

  it('ranks by purchases first, however few the views and add-to-carts', () => {
    const ranked = topProducts([product('browsed', 500, 40, 1), product('bought', 2, 2, 2)]);
    expect(ranked.map((p) => p.productId)).toEqual(['bought', 'browsed']);
  });

  it('breaks a tie on purchases by add-to-carts, then a tie on both by views', () => {
    const ranked = topProducts([
      product('fewer-views', 5, 3, 1),
      product('fewer-carts', 90, 2, 1),
      product('more-views', 6, 3, 1),
    ]);
    expect(ranked.map((p) => p.productId)).toEqual(['more-views', 'fewer-views', 'fewer-carts']);
  });

  it('orders products equal on every counter by product id, so that the order never flickers', () => {
    const ranked = topProducts([
      product('mug', 1, 1, 1),
      product('lamp', 1, 1, 1),
      product('knife', 1, 1, 1),
    ]);
    expect(ranked.map((p) => p.productId)).toEqual(['knife', 'lamp', 'mug']);
  });

  it('ranks on the sums over the window, not on any single minute', () => {
    const ranked = topProducts([
      product('steady', 1, 1, 1),
      product('burst', 1, 1, 2),
      product('steady', 1, 1, 1),
      product('steady', 1, 1, 1),
    ]);
    expect(ranked.map((p) => p.productId)).toEqual(['steady', 'burst']);
  });

  it(`keeps the top ${TOP_PRODUCTS_LIMIT}`, () => {
    const products = Array.from({ length: 12 }, (_, i) =>
      product(`p-${String(i).padStart(2, '0')}`, 0, 0, i),
    );
    const ranked = topProducts(products);
    expect(ranked).toHaveLength(TOP_PRODUCTS_LIMIT);
    expect(ranked[0]?.productId).toBe('p-11');
    expect(ranked.map((p) => p.productId)).not.toContain('p-01');
    expect(ranked.map((p) => p.productId)).not.toContain('p-00');
  });

  it('is empty for a window without products', () => {
    expect(topProducts([])).toEqual([]);
  });
});
