import { randomUUID } from 'node:crypto';
import { eventually, seconds } from './eventually';
import { api, json } from './shop-api';
import { RUN_ID, testUsers } from './test-users';

interface Recommendations {
  source: 'personalize' | 'realtime' | 'popular';
  items: { productId: string; name: string; price: number; score?: number }[];
}

const users = testUsers({ shopper: {} });
const shippingAddress = {
  name: 'Integration Test',
  line1: '1 Test Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

let productIds: [string, string];

beforeAll(async () => {
  const response = await api('products?limit=2');
  expect(response.status).toBe(200);
  productIds = (await json(response)).products.map((product: { productId: string }) => product.productId);
});

const recommend = async (query: string, as?: (typeof users)['shopper']) => {
  const response = await api(`recommendations?${query}`, as ? { as } : {});
  expect(response.status).toBe(200);
  const body = (await json(response)) as Recommendations;
  expect(response.headers.get('x-recommendation-source')).toBe(body.source);
  return body;
};

describe('GET /recommendations', () => {
  it.each(['trending', 'for-you'])('answers %s with items and the source that chose them', async (type) => {
    const body = await recommend(`type=${type}&limit=5`);
    expect(['personalize', 'realtime', 'popular']).toContain(body.source);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThanOrEqual(5);
    for (const item of body.items)
      expect(item).toEqual(
        expect.objectContaining({
          productId: expect.any(String),
          name: expect.any(String),
          price: expect.any(Number),
          currency: expect.stringMatching(/^[A-Z]{3}$/),
          imagePath: expect.stringMatching(/^\/images\/products\//),
        }),
      );
  });

  it.each(['similar', 'bought-together'])(
    'answers %s for a product, never with that product',
    async (type) => {
      const body = await recommend(`type=${type}&productId=${productIds[0]}`);
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.map((item) => item.productId)).not.toContain(productIds[0]);
    },
  );

  it('answers 400 without a productId where one is needed, and 404 for an unknown product', async () => {
    expect((await api('recommendations?type=similar')).status).toBe(400);
    expect((await api('recommendations?type=trending&limit=51')).status).toBe(400);
    expect((await api(`recommendations?type=similar&productId=no-such-product-${RUN_ID}`)).status).toBe(404);
  });

  it('answers 401 for a token that is not valid', async () => {
    expect(
      (await api('recommendations?type=for-you', { headers: { authorization: 'not-a-token' } })).status,
    ).toBe(401);
  });

  it('never recommends for-you what the shopper bought, and learns bought-together from the order', async () => {
    const placed = await api('orders', {
      method: 'POST',
      as: users.shopper,
      headers: { 'idempotency-key': `integ-${RUN_ID}-${randomUUID()}` },
      body: { items: productIds.map((productId) => ({ productId, quantity: 1 })), shippingAddress },
    });
    expect(placed.status).toBe(201);

    const forYou = await recommend('type=for-you&limit=50', users.shopper);
    expect(forYou.items.map((item) => item.productId)).not.toEqual(expect.arrayContaining([productIds[0]]));
    expect(forYou.items.map((item) => item.productId)).not.toEqual(expect.arrayContaining([productIds[1]]));

    // The real-time counts come from the orders table's stream. A stage whose Personalize
    // campaign is trained answers from the campaign instead, which learns at its next training.
    await eventually(
      async () => {
        const body = await recommend(`type=bought-together&productId=${productIds[0]}`);
        if (body.source !== 'personalize')
          expect(body.items.map((item) => item.productId)).toContain(productIds[1]);
      },
      { within: seconds(60), what: 'the order in the co-purchase counts' },
    );
  });
});
