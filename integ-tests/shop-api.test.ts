import { platformUnderTest } from './platform';

const platform = platformUnderTest();
const api = (path: string, init?: RequestInit) => fetch(new URL(path, platform.apiUrl), init);
/** The JSON body of a response, as the test reads it. */
const json = (response: Response): Promise<any> => response.json();

describe('shop API', () => {
  describe('catalog', () => {
    it('lists products, a page at a time', async () => {
      const first = await api('products?limit=5');
      expect(first.status).toBe(200);
      expect(first.headers.get('x-request-id')).toEqual(expect.any(String));
      const page = await json(first);
      expect(page.products).toHaveLength(5);
      const second = await json(
        await api(`products?limit=5&nextToken=${encodeURIComponent(page.nextToken)}`),
      );
      const ids = [...page.products, ...second.products].map((p: { productId: string }) => p.productId);
      expect(new Set(ids).size).toBe(10);
    });

    it('lists a category sorted by name', async () => {
      const { products } = await json(await api('products?category=kitchen&limit=50'));
      expect(products.length).toBeGreaterThan(0);
      const names = products.map((p: { name: string }) => p.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
      expect(products.every((p: { category: string }) => p.category === 'kitchen')).toBe(true);
    });

    it('searches products by name', async () => {
      const { products } = await json(await api('products?q=skillet'));
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

    it('rejects a bad query with 400 and says what is wrong', async () => {
      const response = await api('products?limit=1000');
      expect(response.status).toBe(400);
      expect((await json(response)).errors).toEqual([{ path: 'limit', message: expect.any(String) }]);
    });
  });

  describe('orders', () => {
    it.each([
      ['POST', 'orders'],
      ['GET', 'orders'],
      ['GET', 'orders/search?q=tent'],
    ])('refuse %s /%s without a signed-in shopper', async (method, path) => {
      const response = await api(path, {
        method,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'integration-test-key' },
        ...(method === 'POST' && { body: JSON.stringify({ items: [], shippingAddress: {} }) }),
      });
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ message: expect.any(String) });
    });
  });
});
