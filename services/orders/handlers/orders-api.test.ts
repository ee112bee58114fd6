import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { observability } from '../../shared/powertools';
import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { EmbeddedSearchIndex } from '../../search/embedded-search-index';
import { SearchUnavailableError } from '../../search/search-index';
import { apiGatewayEvent, lambdaContext, type ApiRequest } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { DynamoDbOrderStore } from '../adapters/dynamodb-order-store';
import type { OrderStore } from '../domain/ports';
import { createOrdersApi, type OrdersApiDependencies } from './orders-api-routes';

const ALICE = { sub: 'alice-sub' };
const BOB = { sub: 'bob-sub' };
const STAFF = { sub: 'staff-sub', 'cognito:groups': 'admin' };
const ORIGIN = 'https://shop.example.com';

const PRODUCTS = [
  { productId: 'kit-0001', name: 'Cast iron skillet', price: 3499 },
  { productId: 'kit-0002', name: 'Chef knife', price: 8900 },
  { productId: 'out-0001', name: 'Trail tent', price: 24999 },
].map((p) => ({
  ...p,
  description: `${p.name}, sold by the shop.`,
  category: p.productId.startsWith('kit') ? 'kitchen' : 'outdoor',
  currency: 'USD',
  imagePath: `/images/products/${p.productId}.svg`,
  stock: 10,
}));

const ADDRESS = {
  name: 'Alice Martin',
  line1: '1 Main Street',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};
const orderBody = (items = [{ productId: 'kit-0001', quantity: 2 }]) => ({ items, shippingAddress: ADDRESS });

let tables: Awaited<ReturnType<typeof createLocalTables<'OrdersTable' | 'ProductsTable'>>>;
let orders: OrderStore;
let search: EmbeddedSearchIndex;
let api: ReturnType<typeof createOrdersApi>;
let keyCounter = 0;
const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

function apiWith(overrides: Partial<OrdersApiDependencies> = {}) {
  return createOrdersApi({
    ...observability(),
    allowedOrigin: ORIGIN,
    catalog: new DynamoDbProductStore({ documents: tables.documents, tableName: tables.names.ProductsTable }),
    orders,
    search,
    ...overrides,
  });
}

async function call(request: ApiRequest, handler = api) {
  const result = (await handler(apiGatewayEvent(request), lambdaContext('orders'))) as APIGatewayProxyResult;
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body) };
}

/** POST /orders as `claims` (null: anonymous) with `key` (null: no Idempotency-Key header). */
const post = (body: unknown, claims: ApiRequest['claims'] | null = ALICE, key: string | null = newKey()) =>
  call({
    resource: '/orders',
    method: 'POST',
    body,
    ...(claims && { claims }),
    headers: key === null ? {} : { 'Idempotency-Key': key },
  });

beforeAll(async () => {
  tables = await createLocalTables('OrdersTable', 'ProductsTable');
  for (const product of PRODUCTS) {
    await tables.documents.send(new PutCommand({ TableName: tables.names.ProductsTable, Item: product }));
  }
  orders = new DynamoDbOrderStore({ documents: tables.documents, tableName: tables.names.OrdersTable });
  search = new EmbeddedSearchIndex();
  api = apiWith();
});

afterAll(() => tables.deleteAll());

describe('POST /orders', () => {
  it('prices every line from the catalog and answers 201 with the order', async () => {
    const response = await post(
      orderBody([
        { productId: 'kit-0001', quantity: 2 },
        { productId: 'out-0001', quantity: 1 },
      ]),
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      orderId: expect.stringMatching(/^ord_[0-9a-f]{24}$/),
      status: 'PLACED',
      items: [
        { productId: 'kit-0001', name: 'Cast iron skillet', quantity: 2, unitPrice: 3499, lineTotal: 6998 },
        { productId: 'out-0001', name: 'Trail tent', quantity: 1, unitPrice: 24999, lineTotal: 24999 },
      ],
      total: 31997,
      currency: 'USD',
      shippingAddress: ADDRESS,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(response.headers).toMatchObject({
      'x-request-id': expect.any(String),
      'access-control-allow-origin': ORIGIN,
    });
  });

  it('stores the order under the caller, readable back from OrdersTable', async () => {
    const { body } = await post(orderBody());
    const stored = await orders.get(body.orderId);
    expect(stored).toMatchObject({ orderId: body.orderId, customerId: ALICE.sub, total: 6998 });
  });

  it('ignores nothing the client says about prices: a price field is an unknown field', async () => {
    const response = await post({
      ...orderBody(),
      items: [{ productId: 'kit-0001', quantity: 1, price: 1 }],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'items.0', message: expect.stringContaining('price') }]);
  });

  describe('idempotency', () => {
    it('answers a retry with the same key and body with the same order and status', async () => {
      const key = newKey();
      const first = await post(orderBody(), ALICE, key);
      const again = await post(orderBody(), ALICE, key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    });

    it('answers the same key with a different body with 409', async () => {
      const key = newKey();
      await post(orderBody(), ALICE, key);
      const response = await post(orderBody([{ productId: 'kit-0002', quantity: 1 }]), ALICE, key);
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(/Idempotency-Key/);
    });

    it('keeps keys per customer: the same key from another shopper places another order', async () => {
      const key = newKey();
      const alices = await post(orderBody(), ALICE, key);
      const bobs = await post(orderBody(), BOB, key);
      expect(bobs.status).toBe(201);
      expect(bobs.body.orderId).not.toBe(alices.body.orderId);
    });

    it('places exactly one order for 20 concurrent requests with one key', async () => {
      const key = newKey();
      const customer = { sub: `concurrent-${key}` };
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(orderBody(), customer, key)));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((r) => r.body.orderId)).size).toBe(1);
      const { Items } = await tables.documents.send(
        new QueryCommand({
          TableName: tables.names.OrdersTable,
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customerId = :c',
          ExpressionAttributeValues: { ':c': customer.sub },
        }),
      );
      expect(Items).toHaveLength(1);
    });
  });

  describe('rejects with 400 and says what is wrong', () => {
    const cases: [string, unknown, string][] = [
      ['an unknown product', orderBody([{ productId: 'no-such-product', quantity: 1 }]), 'items.0.productId'],
      ['a quantity of 0', orderBody([{ productId: 'kit-0001', quantity: 0 }]), 'items.0.quantity'],
      ['a quantity of 101', orderBody([{ productId: 'kit-0001', quantity: 101 }]), 'items.0.quantity'],
      ['a fractional quantity', orderBody([{ productId: 'kit-0001', quantity: 1.5 }]), 'items.0.quantity'],
      ['empty items', orderBody([]), 'items'],
      [
        'more than 50 lines',
        orderBody(Array.from({ length: 51 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 }))),
        'items',
      ],
      [
        'the same product twice',
        orderBody([
          { productId: 'kit-0001', quantity: 1 },
          { productId: 'kit-0001', quantity: 1 },
        ]),
        'items.1.productId',
      ],
      ['an unknown field', { ...orderBody(), coupon: 'FREE' }, '(body)'],
      ['a missing shipping address', { items: [{ productId: 'kit-0001', quantity: 1 }] }, 'shippingAddress'],
      [
        'a bad country code',
        { ...orderBody(), shippingAddress: { ...ADDRESS, country: 'USA' } },
        'shippingAddress.country',
      ],
      ['invalid JSON', '{"items": [', '(body)'],
      ['a body over 32 KiB', JSON.stringify({ ...orderBody(), padding: 'x'.repeat(33 * 1024) }), '(body)'],
      ['no body', undefined, '(body)'],
    ];

    it.each(cases)('%s', async (_name, body, path) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        message: expect.any(String),
        errors: expect.arrayContaining([{ path, message: expect.any(String) }]),
        requestId: expect.any(String),
      });
    });

    it('a missing Idempotency-Key header', async () => {
      const response = await post(orderBody(), ALICE, null);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { path: 'Idempotency-Key', message: expect.stringContaining('required') },
      ]);
    });

    it('writes no order for a rejected request', async () => {
      const key = newKey();
      await post(orderBody([{ productId: 'no-such-product', quantity: 1 }]), ALICE, key);
      const retry = await post(orderBody(), ALICE, key);
      expect(retry.status).toBe(201);
    });
  });

  it('answers an anonymous caller with 401', async () => {
    const response = await post(orderBody(), null);
    expect(response.status).toBe(401);
    expect(response.body.message).toEqual(expect.any(String));
  });

  it('answers a failure of its own with a 500 that reveals nothing', async () => {
    const failing: OrderStore = {
      get: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:443 table secret-orders')),
      create: () => Promise.reject(new Error('unreachable')),
      listByCustomer: () => Promise.reject(new Error('unreachable')),
    };
    const response = await call(
      {
        resource: '/orders',
        method: 'POST',
        body: orderBody(),
        claims: ALICE,
        headers: { 'Idempotency-Key': newKey() },
      },
      apiWith({ orders: failing }),
    );
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|secret|10\.1\.2\.3/);
    expect(response.body).toEqual({ message: expect.any(String), requestId: expect.any(String) });
  });
});

describe('GET /orders/{orderId}', () => {
  it("answers the caller's own order", async () => {
    const placed = await post(orderBody());
    const response = await call({
      resource: '/orders/{orderId}',
      method: 'GET',
      pathParameters: { orderId: placed.body.orderId },
      claims: ALICE,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(placed.body);
  });

  it("answers someone else's order with 404, as if it did not exist", async () => {
    const placed = await post(orderBody());
    const theirs = await call({
      resource: '/orders/{orderId}',
      method: 'GET',
      pathParameters: { orderId: placed.body.orderId },
      claims: BOB,
    });
    const missing = await call({
      resource: '/orders/{orderId}',
      method: 'GET',
      pathParameters: { orderId: 'ord_000000000000000000000000' },
      claims: BOB,
    });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.message.replace(placed.body.orderId, 'ID')).toBe(
      missing.body.message.replace('ord_000000000000000000000000', 'ID'),
    );
  });
});

describe('GET /orders', () => {
  it("pages through the caller's orders, newest first, with no duplicates or gaps", async () => {
    const shopper = { sub: `pager-${Date.now()}` };
    let now = Date.parse('2026-01-01T10:00:00Z');
    const paged = apiWith({ clock: () => new Date((now += 60_000)) });
    const placed: string[] = [];
    for (let i = 0; i < 23; i++) {
      const response = await call(
        {
          resource: '/orders',
          method: 'POST',
          body: orderBody(),
          claims: shopper,
          headers: { 'Idempotency-Key': newKey() },
        },
        paged,
      );
      placed.push(response.body.orderId);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const response = await call({
        resource: '/orders',
        method: 'GET',
        query: { limit: '10', ...(nextToken && { nextToken }) },
        claims: shopper,
      });
      expect(response.status).toBe(200);
      seen.push(...response.body.orders.map((order: { orderId: string }) => order.orderId));
      nextToken = response.body.nextToken;
      pages++;
    } while (nextToken);
    expect(seen).toEqual([...placed].reverse());
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('shows a shopper only their own orders', async () => {
    const shopper = { sub: `solo-${Date.now()}` };
    await post(orderBody(), shopper);
    const response = await call({ resource: '/orders', method: 'GET', claims: shopper });
    expect(response.body.orders).toHaveLength(1);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ nextToken: 'not-a-token' }, 'nextToken'],
    [{ sort: 'asc' }, '(body)'],
  ])('rejects the query %j with 400', async (query, path) => {
    const response = await call({ resource: '/orders', method: 'GET', query, claims: ALICE });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path, message: expect.any(String) }]);
  });
});

describe('GET /orders/search', () => {
  beforeAll(async () => {
    await search.indexOrders([
      searchable('ord_a1', ALICE.sub, '2026-03-01T09:00:00.000Z', 'Cast iron skillet'),
      searchable('ord_a2', ALICE.sub, '2026-03-05T09:00:00.000Z', 'Trail tent'),
      searchable('ord_b1', BOB.sub, '2026-03-02T09:00:00.000Z', 'Cast iron skillet'),
    ]);
  });

  const searchFor = (query: Record<string, string>, claims: ApiRequest['claims']) =>
    call({ resource: '/orders/search', method: 'GET', query, claims });

  it("finds the caller's orders by product name, and only theirs", async () => {
    const response = await searchFor({ q: 'skillet' }, ALICE);
    expect(response.status).toBe(200);
    expect(response.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['ord_a1']);
  });

  it('lets shop staff search every order', async () => {
    const response = await searchFor({ q: 'skillet' }, STAFF);
    expect(response.body.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual([
      'ord_a1',
      'ord_b1',
    ]);
  });

  it('filters by date range, the end date included', async () => {
    const response = await searchFor({ from: '2026-03-01', to: '2026-03-05' }, ALICE);
    expect(response.body.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual([
      'ord_a1',
      'ord_a2',
    ]);
  });

  it('rejects a range that ends before it starts with 400', async () => {
    const response = await searchFor({ from: '2026-03-05', to: '2026-03-01' }, ALICE);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'to', message: expect.any(String) }]);
  });

  it('answers 503 when the search engine is down, without failing anything else', async () => {
    const down = new EmbeddedSearchIndex();
    jest.spyOn(down, 'searchOrders').mockRejectedValue(new SearchUnavailableError('connection refused'));
    const response = await call(
      { resource: '/orders/search', method: 'GET', query: { q: 'tent' }, claims: ALICE },
      apiWith({ search: down }),
    );
    expect(response.status).toBe(503);
    expect(JSON.stringify(response.body)).not.toMatch(/connection refused/);
  });
});

function searchable(orderId: string, customerId: string, createdAt: string, productName: string) {
  return {
    orderId,
    customerId,
    status: 'PLACED',
    createdAt,
    total: 1000,
    currency: 'USD',
    items: [{ productId: 'p', name: productName, quantity: 1 }],
  };
}
