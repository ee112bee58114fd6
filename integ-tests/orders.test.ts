import { randomUUID } from 'node:crypto';
import { eventually, seconds } from './eventually';
import { api, json } from './shop-api';
import { RUN_ID, testUsers, type TestUser } from './test-users';

interface Product {
  productId: string;
  name: string;
  price: number;
  currency: string;
}

interface Order {
  orderId: string;
  status: string;
  items: { productId: string; name: string; quantity: number; unitPrice: number; lineTotal: number }[];
  total: number;
  currency: string;
  createdAt: string;
}

const users = testUsers({ shopper: {}, otherShopper: {}, admin: { groups: ['admin'] } });

const shippingAddress = {
  name: 'Integration Test',
  line1: '1 Test Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

/** The first two products of the catalog, as the API prices them. */
let products: [Product, Product];
/** The order the shopper places, once placed. */
let placed: Order;
const key = `integ-${RUN_ID}-${randomUUID()}`;

const placeOrder = (as: TestUser, idempotencyKey: string | undefined, body: unknown) =>
  api('orders', {
    method: 'POST',
    as,
    headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
    body,
  });

/** Two lines: two of the first product, one of the second. */
const orderOfTwoProducts = () => ({
  items: [
    { productId: products[0].productId, quantity: 2 },
    { productId: products[1].productId, quantity: 1 },
  ],
  shippingAddress,
});

beforeAll(async () => {
  const response = await api('products?limit=2');
  expect(response.status).toBe(200);
  products = (await json(response)).products;
  expect(products).toHaveLength(2);
});

describe('orders need a signed-in shopper', () => {
  it.each([
    ['POST', 'orders'],
    ['GET', 'orders'],
    ['GET', 'orders/search?q=tent'],
    ['GET', 'orders/ord_000000000000000000000000'],
  ])('refuse %s /%s without a token with 401', async (method, path) => {
    const response = await api(path, {
      method,
      headers: { 'idempotency-key': `integ-${RUN_ID}-anonymous` },
      ...(method === 'POST' && { body: { items: [], shippingAddress: {} } }),
    });
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ message: expect.any(String) });
  });

  it('refuses a token that is not one the user pool signed with 401', async () => {
    const response = await api('orders', { headers: { authorization: 'not-a-token' } });
    expect(response.status).toBe(401);
  });
});

describe('POST /orders', () => {
  it('rejects a request without an Idempotency-Key with 400', async () => {
    const response = await placeOrder(users.shopper, undefined, orderOfTwoProducts());
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual(
      expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]),
    );
  });

  it('rejects an Idempotency-Key that is not 8 to 128 letters, digits or -_.: with 400', async () => {
    const response = await placeOrder(users.shopper, 'short', orderOfTwoProducts());
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it.each([
    ['a body that is not JSON', '{"items": [', undefined],
    ['a body without a shipping address', { items: [{ productId: 'kit-0001', quantity: 1 }] }, undefined],
    ['an order without lines', { items: [], shippingAddress }, 'items'],
    [
      'an unknown field',
      { items: [{ productId: 'kit-0001', quantity: 1 }], shippingAddress, coupon: 'FREE' },
      '(body)',
    ],
  ])('rejects %s with 400', async (_what, body, path) => {
    const response = await placeOrder(users.shopper, `integ-${RUN_ID}-${randomUUID()}`, body);
    expect(response.status).toBe(400);
    const { errors } = await json(response);
    expect(errors.length).toBeGreaterThan(0);
    if (path) expect(errors).toEqual([{ path, message: expect.any(String) }]);
  });

  it('rejects a price sent by the client with 400: the server prices every order', async () => {
    const response = await placeOrder(users.shopper, `integ-${RUN_ID}-${randomUUID()}`, {
      items: [{ productId: products[0].productId, quantity: 1, unitPrice: 1 }],
      shippingAddress,
    });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'items.0', message: expect.any(String) }]);
  });

  it.each([0, 101, 1.5])('rejects a quantity of %p with 400 naming the line', async (quantity) => {
    const response = await placeOrder(users.shopper, `integ-${RUN_ID}-${randomUUID()}`, {
      items: [{ productId: products[0].productId, quantity }],
      shippingAddress,
    });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([
      { path: 'items.0.quantity', message: expect.any(String) },
    ]);
  });

  it('rejects an unknown product with 400 naming the line, and keeps the key free for a valid order', async () => {
    const response = await placeOrder(users.shopper, key, {
      items: [
        { productId: products[0].productId, quantity: 1 },
        { productId: 'no-such-product-0000', quantity: 1 },
      ],
      shippingAddress,
    });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([
      { path: 'items.1.productId', message: expect.stringContaining('no-such-product-0000') },
    ]);
  });

  it('places an order with 201, priced from the catalog', async () => {
    const response = await placeOrder(users.shopper, key, orderOfTwoProducts());
    expect(response.status).toBe(201);
    placed = await json(response);
    const [first, second] = products;
    expect(placed).toEqual({
      orderId: expect.stringMatching(/^ord_[0-9a-f]{24}$/),
      status: 'PLACED',
      items: [
        {
          productId: first.productId,
          name: first.name,
          quantity: 2,
          unitPrice: first.price,
          lineTotal: 2 * first.price,
        },
        {
          productId: second.productId,
          name: second.name,
          quantity: 1,
          unitPrice: second.price,
          lineTotal: second.price,
        },
      ],
      total: 2 * first.price + second.price,
      currency: first.currency,
      shippingAddress,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    });
  });

  it('answers a retry with the same key and body with the same order', async () => {
    const retry = await placeOrder(users.shopper, key, orderOfTwoProducts());
    expect(retry.status).toBe(201);
    expect(await json(retry)).toEqual(placed);
  });

  it('answers the same key with a different order with 409', async () => {
    const response = await placeOrder(users.shopper, key, {
      items: [{ productId: products[0].productId, quantity: 3 }],
      shippingAddress,
    });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ message: expect.any(String), requestId: expect.any(String) });
  });

  it("places another shopper's order under the same key apart", async () => {
    const response = await placeOrder(users.otherShopper, key, orderOfTwoProducts());
    expect(response.status).toBe(201);
    expect((await json(response)).orderId).not.toBe(placed.orderId);
  });
});

describe('GET /orders/{orderId}', () => {
  it("answers the shopper's own order", async () => {
    const response = await api(`orders/${placed.orderId}`, { as: users.shopper });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual(placed);
  });

  it("answers 404 for another shopper's order, as for one that does not exist", async () => {
    const theirs = await api(`orders/${placed.orderId}`, { as: users.otherShopper });
    expect(theirs.status).toBe(404);
    const missing = await api('orders/ord_000000000000000000000000', { as: users.shopper });
    expect(missing.status).toBe(404);
    expect(await json(theirs)).toEqual({ message: expect.any(String), requestId: expect.any(String) });
  });
});

describe('GET /orders', () => {
  it("lists the shopper's orders, and only theirs", async () => {
    // The list reads an index of the table, which follows its writes within moments.
    const orders: Order[] = await eventually(
      async () => {
        const response = await api('orders?limit=10', { as: users.shopper });
        expect(response.status).toBe(200);
        const page = await json(response);
        expect(page.orders.map((order: Order) => order.orderId)).toContain(placed.orderId);
        return page.orders;
      },
      { within: seconds(30), what: "the order in the shopper's list" },
    );
    expect(orders).toEqual([placed]);
  });

  it('rejects a page size over 100 with 400', async () => {
    const response = await api('orders?limit=101', { as: users.shopper });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'limit', message: expect.any(String) }]);
  });
});

describe('GET /orders/search', () => {
  const search = (query: string, as: TestUser) =>
    api(`orders/search?${query}`, { as }).then(async (response) => {
      expect(response.status).toBe(200);
      return (await json(response)) as { orders: { orderId: string }[]; total: number };
    });
  const idsOf = (result: { orders: { orderId: string }[] }) => result.orders.map((order) => order.orderId);

  it(
    'finds the order by its id once the index has it (fed from the orders table stream)',
    async () => {
      await eventually(
        async () =>
          expect(idsOf(await search(`q=${placed.orderId}`, users.shopper))).toContain(placed.orderId),
        { within: seconds(120), every: seconds(3), what: `order ${placed.orderId} in the search index` },
      );
    },
    seconds(150),
  );

  it('finds it by the name of a product in it', async () => {
    // The longest word of its name, which few other products share.
    const [word] = products[0].name.split(/[^A-Za-z]+/).sort((a, b) => b.length - a.length);
    expect(idsOf(await search(`q=${encodeURIComponent(word!)}`, users.shopper))).toContain(placed.orderId);
  });

  it("does not show it to another shopper, and lets shop staff find every shopper's orders", async () => {
    expect(idsOf(await search(`q=${placed.orderId}`, users.otherShopper))).not.toContain(placed.orderId);
    expect(idsOf(await search(`q=${placed.orderId}`, users.admin))).toContain(placed.orderId);
  });

  it('rejects a date range that ends before it starts with 400', async () => {
    const response = await api('orders/search?from=2026-02-01&to=2026-01-01', { as: users.shopper });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'to', message: expect.any(String) }]);
  });
});
