import { catalogSnapshot, staticPopularity } from './catalog';
import type { CatalogProduct } from './recommendation';

const product = (productId: string, category: string, stock = 5): CatalogProduct => ({
  productId,
  name: productId,
  category,
  price: 100,
  stock,
});

describe('staticPopularity', () => {
  it('deals the products out one category at a time, first of each category first, and leaves out sold-out ones', () => {
    const popularity = staticPopularity([
      product('toy-2', 'toys'),
      product('kit-1', 'kitchen'),
      product('kit-2', 'kitchen', 0),
      product('kit-3', 'kitchen'),
      product('toy-1', 'toys'),
      product('gar-1', 'garden'),
    ]);

    const order = [...popularity].sort((a, b) => b[1] - a[1]).map(([productId]) => productId);
    expect(order).toEqual(['gar-1', 'kit-1', 'toy-1', 'kit-3', 'toy-2']);
    expect(popularity.get('gar-1')).toBe(5);
    expect(popularity.get('toy-2')).toBe(1);
    expect(popularity.has('kit-2')).toBe(false);
  });

  it('is the same whatever order the catalog is read in', () => {
    const products = [product('b-1', 'b'), product('a-1', 'a'), product('a-2', 'a')];

    expect(staticPopularity(products)).toEqual(staticPopularity([...products].reverse()));
  });
});

describe('catalogSnapshot', () => {
  it('finds products by id, sold-out ones included', () => {
    const snapshot = catalogSnapshot([product('b-1', 'b'), product('a-1', 'a', 0)]);

    expect(snapshot.get('a-1')).toMatchObject({ stock: 0 });
    expect(snapshot.get('zzz')).toBeUndefined();
    expect(snapshot.products.map((p) => p.productId)).toEqual(['a-1', 'b-1']);
  });
});
