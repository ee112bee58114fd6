import type { OrderDocument, ProductDocument, SearchIndex } from './search-index';

const ada = 'customer-ada';
const bob = 'customer-bob';

const deskOrder: OrderDocument = {
  orderId: '6f1c2a0e-1d4b-4c5e-9a7f-0b3d5e7f9a11',
  customerId: ada,
  status: 'PLACED',
  createdAt: '2024-03-01T09:00:00.000Z',
  total: 34_900,
  currency: 'USD',
  items: [{ productId: 'p-desk', name: 'Walnut desk', quantity: 1 }],
};
const mugOrder: OrderDocument = {
  orderId: '9b2e4c6d-8f0a-4b1c-8d3e-5f7a9b1c3d22',
  customerId: ada,
  status: 'SHIPPED',
  createdAt: '2024-03-05T12:00:00.000Z',
  total: 4_300,
  currency: 'USD',
  items: [
    { productId: 'p-mug', name: 'Ceramic mug', quantity: 2 },
    { productId: 'p-napkins', name: 'Linen napkins', quantity: 1 },
  ],
};
const teapotOrder: OrderDocument = {
  orderId: '1a3c5e7f-2b4d-4e6f-a8b0-c2d4e6f8a033',
  customerId: bob,
  status: 'PLACED',
  createdAt: '2024-03-03T08:30:00.000Z',
  total: 3_900,
  currency: 'USD',
  items: [{ productId: 'p-teapot', name: 'Ceramic teapot', quantity: 1 }],
};
const shelfOrder: OrderDocument = {
  orderId: 'c4e6a8b0-3d5f-4a7b-9c1d-e3f5a7b9c144',
  customerId: bob,
  status: 'DELIVERED',
  createdAt: '2024-03-10T18:45:00.000Z',
  total: 12_900,
  currency: 'USD',
  items: [{ productId: 'p-shelf', name: 'Walnut shelf', quantity: 1 }],
};
const orders = [deskOrder, mugOrder, teapotOrder, shelfOrder];

const product = (
  productId: string,
  name: string,
  category: string,
  description: string,
): ProductDocument => ({
  productId,
  name,
  category,
  description,
  price: 2_500,
  currency: 'USD',
  imagePath: `/images/${productId}.jpg`,
  stock: 10,
});
const desk = product('p-desk', 'Walnut desk', 'furniture', 'A solid desk for a small study.');
const mug = product('p-mug', 'Ceramic mug', 'kitchen', 'Holds 350 ml of tea.');
const products = [
  desk,
  product('p-bench', 'Oak bench', 'furniture', 'Walnut legs.'),
  mug,
  product('p-teapot', 'Ceramic teapot', 'kitchen', 'Brews four cups.'),
  product('p-napkins', 'Linen napkins', 'kitchen', 'A set of four.'),
  product('p-lamp', 'Desk lamp', 'lighting', 'Warm light to read by.'),
];

const ids = (found: { orders: OrderDocument[] }) => found.orders.map((order) => order.orderId);
const productIds = (found: { products: ProductDocument[] }) => found.products.map((p) => p.productId);

/**
 * What every adapter of the search port must do. An adapter's test file calls this with a
 * function that returns a new, empty index; each test starts from one.
 */
export function describeSearchIndexContract(
  name: string,
  createIndex: () => Promise<SearchIndex> | SearchIndex,
): void {
  describe(`${name}: the search index contract`, () => {
    let index: SearchIndex;

    beforeEach(async () => {
      index = await createIndex();
    });

    describe('order search', () => {
      beforeEach(async () => {
        expect(await index.indexOrders(orders)).toEqual({ failed: [] });
      });

      it("shows a customer only the customer's own orders", async () => {
        const found = await index.searchOrders({ customerId: ada, limit: 10 });
        expect(ids(found).sort()).toEqual([deskOrder.orderId, mugOrder.orderId].sort());
        expect(found.total).toBe(2);
      });

      it('shows shop staff every order when no customer is given', async () => {
        const found = await index.searchOrders({ customerId: undefined, limit: 10 });
        expect(found.total).toBe(4);
      });

      it('finds no orders for an empty customer id rather than every order', async () => {
        const found = await index.searchOrders({ customerId: '', limit: 10 });
        expect(found).toEqual({ orders: [], total: 0 });
      });

      it('lists the newest order first when there is no text', async () => {
        const found = await index.searchOrders({ customerId: undefined, limit: 10 });
        expect(ids(found)).toEqual([shelfOrder, mugOrder, teapotOrder, deskOrder].map((o) => o.orderId));
      });

      it('includes orders created exactly at either bound of the date range', async () => {
        const found = await index.searchOrders({
          customerId: undefined,
          from: teapotOrder.createdAt,
          to: mugOrder.createdAt,
          limit: 10,
        });
        expect(ids(found)).toEqual([mugOrder.orderId, teapotOrder.orderId]);
      });

      it('returns at most limit orders and counts every match in total', async () => {
        const found = await index.searchOrders({ customerId: undefined, limit: 2 });
        expect(ids(found)).toEqual([shelfOrder.orderId, mugOrder.orderId]);
        expect(found.total).toBe(4);
      });

      it('finds orders by the name of a product in them', async () => {
        const found = await index.searchOrders({ customerId: undefined, text: 'walnut', limit: 10 });
        expect(ids(found).sort()).toEqual([deskOrder.orderId, shelfOrder.orderId].sort());
      });

      it('finds only orders that have every word of the text', async () => {
        const found = await index.searchOrders({ customerId: undefined, text: 'walnut desk', limit: 10 });
        expect(ids(found)).toEqual([deskOrder.orderId]);
      });

      it('finds orders by a misspelt or unfinished product name', async () => {
        const misspelt = await index.searchOrders({ customerId: undefined, text: 'ceramc', limit: 10 });
        expect(ids(misspelt).sort()).toEqual([mugOrder.orderId, teapotOrder.orderId].sort());
        const unfinished = await index.searchOrders({ customerId: undefined, text: 'teap', limit: 10 });
        expect(ids(unfinished)).toEqual([teapotOrder.orderId]);
      });

      it('applies the customer scope to text matches too', async () => {
        const found = await index.searchOrders({ customerId: ada, text: 'walnut', limit: 10 });
        expect(ids(found)).toEqual([deskOrder.orderId]);
      });

      it('finds an order by its id', async () => {
        const found = await index.searchOrders({
          customerId: undefined,
          text: teapotOrder.orderId,
          limit: 10,
        });
        expect(found).toEqual({ orders: [teapotOrder], total: 1 });
      });

      it('finds orders by status, whatever its case', async () => {
        const found = await index.searchOrders({ customerId: undefined, text: 'shipped', limit: 10 });
        expect(ids(found)).toEqual([mugOrder.orderId]);
      });

      it('replaces an order indexed again under the same id', async () => {
        const cancelled = { ...deskOrder, status: 'CANCELLED' };
        await index.indexOrders([cancelled]);
        await index.indexOrders([cancelled]);
        const all = await index.searchOrders({ customerId: undefined, limit: 10 });
        expect(all.total).toBe(4);
        expect(all.orders.filter((order) => order.orderId === deskOrder.orderId)).toEqual([cancelled]);
        const byOldStatus = await index.searchOrders({ customerId: ada, text: 'placed', limit: 10 });
        expect(byOldStatus.total).toBe(0);
      });

      it('removes deleted orders and accepts the deletion of an order it does not hold', async () => {
        const result = await index.deleteOrders([deskOrder.orderId, 'no-such-order']);
        expect(result).toEqual({ failed: [] });
        expect((await index.searchOrders({ customerId: ada, limit: 10 })).orders).toEqual([mugOrder]);
        expect((await index.searchOrders({ customerId: undefined, text: 'desk', limit: 10 })).total).toBe(0);
      });

      it('stores only the fields of an order document', async () => {
        const withExtras = { ...teapotOrder, shippingAddress: { city: 'Lyon' }, requestHash: 'abc' };
        await index.indexOrders([withExtras]);
        const found = await index.searchOrders({ customerId: bob, text: teapotOrder.orderId, limit: 1 });
        expect(found.orders).toEqual([teapotOrder]);
      });
    });

    describe('product search', () => {
      beforeEach(async () => {
        expect(await index.indexProducts(products)).toEqual({ failed: [] });
      });

      it('ranks a product named by the text above one that only mentions it', async () => {
        const found = await index.searchProducts({ text: 'walnut', limit: 10 });
        expect(productIds(found)).toEqual(['p-desk', 'p-bench']);
        expect(found.total).toBe(2);
      });

      it('finds products by category and by description', async () => {
        expect(productIds(await index.searchProducts({ text: 'lighting', limit: 10 }))).toEqual(['p-lamp']);
        expect(productIds(await index.searchProducts({ text: 'cups', limit: 10 }))).toEqual(['p-teapot']);
      });

      it('finds only products of the category when one is given', async () => {
        const anywhere = await index.searchProducts({ text: 'desk', limit: 10 });
        expect(productIds(anywhere).sort()).toEqual(['p-desk', 'p-lamp']);
        const furniture = await index.searchProducts({ text: 'desk', category: 'furniture', limit: 10 });
        expect(furniture).toEqual({ products: [desk], total: 1 });
      });

      it('lists every product of a category by name when there is no text', async () => {
        const found = await index.searchProducts({ text: '', category: 'kitchen', limit: 10 });
        expect(productIds(found)).toEqual(['p-mug', 'p-teapot', 'p-napkins']);
      });

      it('pages through matches with offset and limit, counting every match in total', async () => {
        const first = await index.searchProducts({ text: '', category: 'kitchen', limit: 2 });
        const second = await index.searchProducts({ text: '', category: 'kitchen', limit: 2, offset: 2 });
        expect(productIds(first)).toEqual(['p-mug', 'p-teapot']);
        expect(productIds(second)).toEqual(['p-napkins']);
        expect([first.total, second.total]).toEqual([3, 3]);
      });

      it('returns at most limit products', async () => {
        const found = await index.searchProducts({ text: 'ceramic', limit: 1 });
        expect(found.products).toHaveLength(1);
        expect(found.total).toBe(2);
      });

      it('replaces a product indexed again under the same id', async () => {
        await index.indexProducts([{ ...mug, name: 'Stoneware mug' }]);
        expect(productIds(await index.searchProducts({ text: 'stoneware', limit: 10 }))).toEqual(['p-mug']);
        expect(productIds(await index.searchProducts({ text: 'ceramic', limit: 10 }))).toEqual(['p-teapot']);
      });
    });
  });
}
