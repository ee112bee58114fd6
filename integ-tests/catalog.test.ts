import { api, json } from './shop-api';

interface Product {
  productId: string;
  name: string;
  category: string;
  price: number;
  currency: string;
}

describe('catalog (GET /products)', () => {
  it('lists products, a page at a time', async () => {
    const first = await api('products?limit=5');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-request-id')).toEqual(expect.any(String));
    const page = await json(first);
    expect(page.products).toHaveLength(5);
    expect(page.nextToken).toEqual(expect.any(String));
    const second = await json(await api(`products?limit=5&nextToken=${encodeURIComponent(page.nextToken)}`));
    const ids = [...page.products, ...second.products].map((product: Product) => product.productId);
    expect(new Set(ids).size).toBe(10);
  });

  it('lists a category sorted by name', async () => {
    const { products } = await json(await api('products?category=kitchen&limit=50'));
    expect(products.length).toBeGreaterThan(0);
    const names = products.map((product: Product) => product.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expect(products.every((product: Product) => product.category === 'kitchen')).toBe(true);
  });

  it('searches products by name', async () => {
    const response = await api('products?q=skillet');
    expect(response.status).toBe(200);
    const { products } = await json(response);
    expect(products[0].name).toMatch(/skillet/i);
  });

  it('answers one product, and 404 for an unknown one', async () => {
    const { products } = await json(await api('products?limit=1'));
    const one = await api(`products/${products[0].productId}`);
    expect(one.status).toBe(200);
    expect(await json(one)).toEqual(products[0]);
    const missing = await api('products/no-such-product-0000');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ message: expect.any(String), requestId: expect.any(String) });
  });

  it('rejects a malformed product id with 400', async () => {
    const response = await api('products/Not_A_Product_Id');
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'productId', message: expect.any(String) }]);
  });

  it.each([
    ['a page size over 100', 'limit=1000', 'limit'],
    ['an unknown parameter', 'colour=red', 'colour'],
    ['a malformed category', 'category=Kitchen!', 'category'],
  ])('rejects %s with 400 and says what is wrong', async (_what, query, path) => {
    const response = await api(`products?${query}`);
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path, message: expect.any(String) }]);
  });
});
