import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  startPersonalizeRuntimeStandIn,
  type PersonalizeRuntimeStandIn,
} from '../../../local/personalize/personalize-runtime-stand-in';
import { startSsmStandIn, type SsmStandIn } from '../../../local/ssm/ssm-stand-in';
import { DynamoDbMinuteAggregateReader } from '../../analytics/adapters/dynamodb-minute-aggregates';
import { productItem, writeItems } from '../../analytics/testing/minute-aggregate-items';
import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { SAMPLE_CATALOG } from '../../catalog/data/sample-catalog';
import { DynamoDbOrderStore } from '../../orders/adapters/dynamodb-order-store';
import { observability } from '../../shared/powertools';
import { apiGatewayEvent, lambdaContext, type ApiRequest } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { CatalogCache } from '../adapters/catalog-cache';
import { DynamoDbRealtimeSignals, POPULARITY_READ_CONCURRENCY } from '../adapters/dynamodb-signals';
import { IdTokenVerifier } from '../adapters/id-token-verifier';
import { PersonalizeRecommender } from '../adapters/personalize-recommender';
import type { RealtimeSignals } from '../domain/ports';
import { RECOMMENDATION_TYPES, type RecommendationType } from '../domain/recommendation';
import { coPurchaseItem, orderItem, userActivityItem } from '../testing/signal-items';
import { startTestUserPool, type TestUserPool } from '../testing/test-user-pool';
import { createRecommendationsApi, personalizeLatencyRecorder } from './recommendations-api-routes';

const ORIGIN = 'https://shop.example.com';
const PREFIX = '/ecommerce/test/recommenders';
const arn = (kind: string, name: string) => `arn:aws:personalize:us-east-1:000000000000:${kind}/${name}`;
const FILTER = arn('filter', 'exclude-purchased');
/**
 * Longer than in AWS (1,000 / 600 ms): DynamoDB Local, a JVM on a shared test machine, answers
 * less promptly than DynamoDB. The chain keeping to its budget is proven with fake timers in
 * domain/chain.test.ts; here, that a slow Personalize is given up on.
 */
const CHAIN = { budgetMs: 4_000, perLinkTimeoutMs: 1_500 };
/** How late the slow Personalize answers: far beyond the budget. */
const SLOW_MS = 30_000;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable' | 'OrdersTable' | 'ProductsTable'>>>;
let ssm: SsmStandIn;
let personalize: PersonalizeRuntimeStandIn;
let pool: TestUserPool;
let ssmClient: SSMClient;
let personalizeClient: PersonalizeRuntimeClient;
/** A shopper who bought kit-0001 and out-0001, and has looked at kitchen products since. */
let shopper: { sub: string; idToken: string; accessToken: string };
const PURCHASED = ['kit-0001', 'out-0001'];

interface RecordedMetric {
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly value: number;
}

/** The live data on `analyticsTableName` (which may name a missing table) and the orders. */
function signalsOn(analyticsTableName: string) {
  const documents = tables.documents;
  return new DynamoDbRealtimeSignals({
    documents,
    analyticsTableName,
    minutes: new DynamoDbMinuteAggregateReader({
      documents,
      tableName: analyticsTableName,
      concurrency: POPULARITY_READ_CONCURRENCY,
    }),
    orders: new DynamoDbOrderStore({ documents, tableName: tables.names.OrdersTable }),
  });
}

/** What a function instance keeps between invocations (at module scope in recommendations-api.ts). */
let catalog: CatalogCache;
let liveSignals: DynamoDbRealtimeSignals;

/** The API on the tables and stand-ins, its metrics recorded. */
function apiWith(options: { signals?: RealtimeSignals } = {}) {
  const tools = observability();
  const metrics: RecordedMetric[] = [];
  let dimensions: Record<string, string> = {};
  // Recorded on their way through to Powertools (disabled in tests: nothing is printed).
  const addDimensions = tools.metrics.addDimensions.bind(tools.metrics);
  const addMetric = tools.metrics.addMetric.bind(tools.metrics);
  jest.spyOn(tools.metrics, 'addDimensions').mockImplementation((added) => {
    dimensions = { ...dimensions, ...added };
    return addDimensions(added);
  });
  jest.spyOn(tools.metrics, 'addMetric').mockImplementation((name, unit, value) => {
    metrics.push({ name, dimensions, value });
    return addMetric(name, unit, value);
  });
  jest.spyOn(tools.metrics, 'singleMetric').mockImplementation(() => {
    let dimensions: Record<string, string> = {};
    const single = {
      addDimensions: (added: Record<string, string>) => {
        dimensions = { ...dimensions, ...added };
        return single;
      },
      addMetric: (name: string, _unit: string, value: number) => {
        metrics.push({ name, dimensions, value });
        return single;
      },
    };
    return single as unknown as ReturnType<typeof tools.metrics.singleMetric>;
  });
  const provider = new SSMProvider({ awsSdkV3Client: ssmClient });
  const handler = createRecommendationsApi({
    ...tools,
    allowedOrigin: ORIGIN,
    catalog,
    model: new PersonalizeRecommender({
      client: personalizeClient,
      readParameter: (name, parameterOptions) => provider.get(name, parameterOptions),
      parameterPrefix: PREFIX,
      onCall: personalizeLatencyRecorder(tools.metrics),
    }),
    signals: options.signals ?? liveSignals,
    tokens: new IdTokenVerifier({ issuer: pool.issuer, clientId: pool.clientId }),
    chain: CHAIN,
  });
  return { handler, metrics };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: {
    source: string;
    items: { productId: string; name: string; price: number; score?: number }[];
    message?: string;
    errors?: { path: string; message: string }[];
  };
}

async function call(
  query: Record<string, string>,
  request: Partial<ApiRequest> = {},
  api = apiWith(),
): Promise<Answer> {
  const result = (await api.handler(
    apiGatewayEvent({ resource: '/recommendations', method: 'GET', query, ...request }),
    lambdaContext('recommendations'),
  )) as APIGatewayProxyResult;
  return {
    status: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: JSON.parse(result.body),
  };
}

const asShopper = (): Partial<ApiRequest> => ({ headers: { Authorization: shopper.idToken } });
const ids = (answer: Answer) => answer.body.items.map((item) => item.productId);
const productIdFor = (type: RecommendationType): Record<string, string> =>
  type === 'similar' || type === 'bought-together' ? { productId: 'kit-0002' } : {};

/** The four states of Personalize the chain must survive, for `type`. */
const personalizeStates = {
  /** A campaign per type, but a recommender for trending, which anonymous shoppers ask for too. */
  trained: (type: RecommendationType, items: string[]) => {
    const model =
      type === 'trending'
        ? { recommenderArn: arn('recommender', type) }
        : { campaignArn: arn('campaign', type) };
    ssm.put(`${PREFIX}/${type}`, JSON.stringify({ ...model, filterArn: FILTER }));
    personalize.serve(Object.values(model)[0]!, items);
  },
  'not trained': () => undefined,
  failing: (type: RecommendationType, items: string[]) => {
    personalizeStates.trained(type, items);
    personalize.fail();
  },
  slow: (type: RecommendationType, items: string[]) => {
    personalizeStates.trained(type, items);
    personalize.slow(SLOW_MS);
  },
};

beforeAll(async () => {
  [tables, ssm, personalize, pool] = await Promise.all([
    createLocalTables('AnalyticsTable', 'OrdersTable', 'ProductsTable'),
    startSsmStandIn(),
    startPersonalizeRuntimeStandIn(),
    startTestUserPool(),
  ]);
  ssmClient = new SSMClient({ endpoint: ssm.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  personalizeClient = new PersonalizeRuntimeClient({
    endpoint: personalize.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  shopper = await pool.signIn('shopper@example.com');

  await new DynamoDbProductStore({
    documents: tables.documents,
    tableName: tables.names.ProductsTable,
  }).putAll(SAMPLE_CATALOG);
  const now = new Date();
  const aMinuteAgo = new Date(now.getTime() - 60_000);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  await writeItems(tables.documents, tables.names.AnalyticsTable, [
    // Live: audio and kitchen products are being looked at and bought.
    productItem(aMinuteAgo, 'aud-0003', { views: 10, purchases: 2 }),
    productItem(now, 'kit-0005', { views: 4 }),
    productItem(now, 'kit-0001', { views: 1, purchases: 1 }),
    coPurchaseItem('kit-0002', 'kit-0007', 6),
    coPurchaseItem('kit-0002', 'lgt-0001', 2),
    userActivityItem(shopper.sub, 'kit-0003', nowSeconds - 120, {
      eventTypes: ['product_view', 'add_to_cart'],
    }),
  ]);
  const orders = new DynamoDbOrderStore({ documents: tables.documents, tableName: tables.names.OrdersTable });
  await orders.create(orderItem(shopper.sub, PURCHASED, new Date(now.getTime() - 86_400_000)));

  catalog = new CatalogCache({
    store: new DynamoDbProductStore({ documents: tables.documents, tableName: tables.names.ProductsTable }),
  });
  liveSignals = signalsOn(tables.names.AnalyticsTable);
  // Warm, as an instance is after its first requests: the catalog and the last hour's popularity read.
  await Promise.all([catalog.current(), liveSignals.popularity()]);
});

afterAll(async () => {
  ssmClient.destroy();
  personalizeClient.destroy();
  await Promise.all([tables.deleteAll(), ssm.stop(), personalize.stop(), pool.stop()]);
});

beforeEach(() => {
  ssm.reset();
  personalize.reset();
});

describe('GET /recommendations', () => {
  describe('when Personalize is trained', () => {
    it('serves its recommendations as catalog products, and says so in the body and the header', async () => {
      personalizeStates.trained('trending', ['toy-0004', 'no-such-product', 'kit-0011', 'gdn-0002']);

      const answer = await call({ type: 'trending', limit: '5' });

      expect(answer.status).toBe(200);
      expect(answer.headers['x-recommendation-source']).toBe('personalize');
      const toy = SAMPLE_CATALOG.find((product) => product.productId === 'toy-0004')!;
      expect(answer.body).toEqual({
        source: 'personalize',
        // The unknown id and the sold-out kit-0011 are left out; each product comes with its picture.
        items: [
          {
            productId: 'toy-0004',
            name: toy.name,
            price: toy.price,
            currency: 'USD',
            imagePath: '/images/products/toy-0004.svg',
          },
          expect.objectContaining({ productId: 'gdn-0002', imagePath: '/images/products/gdn-0002.svg' }),
        ],
      });
    });

    it('personalises for-you for the shopper of a valid ID token, never with what they bought', async () => {
      personalizeStates.trained('for-you', ['kit-0001', 'bok-0004', 'out-0001', 'fit-0002']);

      const answer = await call({ type: 'for-you' }, asShopper());

      expect(answer.body.source).toBe('personalize');
      expect(ids(answer)).toEqual(['bok-0004', 'fit-0002']);
      expect(personalize.calls).toEqual([
        { campaignArn: arn('campaign', 'for-you'), userId: shopper.sub, filterArn: FILTER, numResults: 35 },
      ]);
      expect(answer.headers['cache-control']).toBe('private, no-store');
    });

    it('accepts the token after "Bearer", in a header of any case', async () => {
      personalizeStates.trained('for-you', ['bok-0004']);

      const answer = await call(
        { type: 'for-you' },
        { headers: { authorization: `Bearer ${shopper.idToken}` } },
      );

      expect(answer.body.source).toBe('personalize');
    });

    it('asks about the product for similar lists', async () => {
      personalizeStates.trained('similar', ['kit-0003']);

      await call({ type: 'similar', productId: 'kit-0002' });

      expect(personalize.calls[0]).toMatchObject({ itemId: 'kit-0002' });
    });
  });

  describe('when Personalize is not trained, failing or slow', () => {
    it('serves trending from the live aggregates when no model is trained', async () => {
      const answer = await call({ type: 'trending' });

      expect(answer.headers['x-recommendation-source']).toBe('realtime');
      expect(ids(answer)).toEqual(['aud-0003', 'kit-0001', 'kit-0005']);
      expect(answer.body.items[0]).toMatchObject({ score: 10 + 2 * 5 });
      expect(personalize.calls).toHaveLength(0);
    });

    it('serves trending from the live aggregates when Personalize fails', async () => {
      personalizeStates.failing('trending', ['toy-0004']);

      const answer = await call({ type: 'trending' });

      expect(answer.body.source).toBe('realtime');
      expect(personalize.calls).toHaveLength(1);
    });

    it('serves from the live aggregates without waiting for a slow Personalize', async () => {
      personalizeStates.slow('trending', ['toy-0004']);
      const started = Date.now();

      const answer = await call({ type: 'trending' });

      expect(answer.body.source).toBe('realtime');
      // Personalize would have answered after SLOW_MS; the chain gave up at its timeout.
      expect(Date.now() - started).toBeLessThan(SLOW_MS);
    });

    it('serves bought-together from the co-purchase counts', async () => {
      const answer = await call({ type: 'bought-together', productId: 'kit-0002' });

      expect(answer.body.source).toBe('realtime');
      expect(answer.body.items.map((item) => [item.productId, item.score])).toEqual([
        ['kit-0007', 6],
        ['lgt-0001', 2],
      ]);
    });

    it('serves similar products from the same category, most popular now first', async () => {
      const answer = await call({ type: 'similar', productId: 'kit-0002', limit: '3' });

      expect(answer.body.source).toBe('realtime');
      expect(ids(answer)).toEqual(['kit-0001', 'kit-0005', 'kit-0003']);
    });

    it("serves for-you from the shopper's recent categories, minus what they bought", async () => {
      const answer = await call({ type: 'for-you', limit: '20' }, asShopper());

      expect(answer.body.source).toBe('realtime');
      // Kitchen (viewed, and ordered), then outdoor (ordered): the kitchen products most popular now first.
      expect(ids(answer).slice(0, 2)).toEqual(['kit-0005', 'kit-0002']);
      expect(ids(answer)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(kit-0001|out-0001)$/)]),
      );
    });

    it('serves the static popular list when there is nothing live for the product', async () => {
      const answer = await call({ type: 'bought-together', productId: 'toy-0001', limit: '3' });

      expect(answer.body).toEqual({
        source: 'popular',
        items: [
          expect.objectContaining({ productId: 'app-0001' }),
          expect.objectContaining({ productId: 'aud-0001' }),
          expect.objectContaining({ productId: 'bok-0001' }),
        ],
      });
    });

    it('serves an anonymous for-you list from the static popular list', async () => {
      personalizeStates.trained('for-you', ['bok-0004']);

      const answer = await call({ type: 'for-you' });

      expect(answer.body.source).toBe('popular');
      expect(answer.body.items).toHaveLength(10);
      expect(answer.headers['cache-control']).toBe('public, max-age=60');
      expect(personalize.calls).toHaveLength(0);
    });

    it('serves the static popular list, without the purchases, when Personalize and the live data fail', async () => {
      personalizeStates.failing('for-you', ['kit-0001']);

      const answer = await call(
        { type: 'for-you', limit: '50' },
        asShopper(),
        apiWith({ signals: signalsOn('no-such-table') }),
      );

      expect(answer.body.source).toBe('popular');
      expect(answer.body.items).toHaveLength(50);
      expect(ids(answer)).not.toContain('kit-0001');
      expect(ids(answer)).not.toContain('out-0001');
    });
  });

  describe.each(Object.keys(personalizeStates) as (keyof typeof personalizeStates)[])(
    'with Personalize %s',
    (state) => {
      it.each(RECOMMENDATION_TYPES)(
        'answers %s, never empty, never with a purchase for the shopper',
        async (type) => {
          personalizeStates[state](type, ['kit-0001', 'out-0001', 'toy-0009', 'bok-0002']);

          const anonymous = await call({ type, ...productIdFor(type) });
          const personal = await call({ type, ...productIdFor(type) }, asShopper());

          for (const answer of [anonymous, personal]) {
            expect(answer.status).toBe(200);
            expect(answer.body.items.length).toBeGreaterThan(0);
            expect(answer.headers['x-recommendation-source']).toBe(answer.body.source);
          }
          if (type === 'for-you') for (const bought of PURCHASED) expect(ids(personal)).not.toContain(bought);
          if (state === 'trained' && type !== 'for-you') expect(anonymous.body.source).toBe('personalize');
          if (state !== 'trained') expect(personal.body.source).not.toBe('personalize');
        },
      );
    },
  );

  describe('metrics', () => {
    it('counts each answer by source and type, and a fallback when the first available source did not answer', async () => {
      personalizeStates.failing('trending', ['toy-0004']);
      const api = apiWith();

      await call({ type: 'trending' }, {}, api);

      expect(api.metrics).toEqual([
        { name: 'PersonalizeLatency', dimensions: { type: 'trending' }, value: expect.any(Number) },
        { name: 'RecommendationsServed', dimensions: { type: 'trending', source: 'realtime' }, value: 1 },
        { name: 'RecommendationFallback', dimensions: { type: 'trending' }, value: 1 },
      ]);
    });

    it('counts no fallback when Personalize is not trained and the live data answers', async () => {
      const api = apiWith();

      await call({ type: 'trending' }, {}, api);

      expect(api.metrics).toEqual([
        { name: 'RecommendationsServed', dimensions: { type: 'trending', source: 'realtime' }, value: 1 },
        { name: 'RecommendationFallback', dimensions: { type: 'trending' }, value: 0 },
      ]);
    });
  });

  describe('a token that is not valid', () => {
    it.each([
      [
        'an expired ID token',
        () => pool.signed({ ...claimsOf(shopper.idToken), exp: Math.floor(Date.now() / 1000) - 1 }),
      ],
      ['an access token', () => shopper.accessToken],
      ['garbage', () => 'not-a-token'],
    ])('is a 401 with a JSON message: %s', async (_, token) => {
      const answer = await call({ type: 'for-you' }, { headers: { Authorization: token() } });

      expect(answer.status).toBe(401);
      expect(answer.body.message).toMatch(/no valid ID token/);
      expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    });
  });

  describe('a request that is not valid', () => {
    it.each([
      ['no type', {}, 'type'],
      ['an unknown type', { type: 'best-sellers' }, 'type'],
      ['similar without a product', { type: 'similar' }, 'productId'],
      ['bought-together without a product', { type: 'bought-together' }, 'productId'],
      ['a product for trending', { type: 'trending', productId: 'kit-0001' }, 'productId'],
      ['a malformed product id', { type: 'similar', productId: 'Not An Id' }, 'productId'],
      ['a limit of 0', { type: 'trending', limit: '0' }, 'limit'],
      ['a limit of 51', { type: 'trending', limit: '51' }, 'limit'],
      ['a limit that is no number', { type: 'trending', limit: 'ten' }, 'limit'],
      ['an unknown parameter', { type: 'trending', user: 'me' }, 'user'],
    ])('is a 400 naming the parameter: %s', async (_, query, path) => {
      const answer = await call(query as Record<string, string>);

      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe('Invalid query');
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    });

    it('is a 400 for a repeated parameter', async () => {
      const event = apiGatewayEvent({
        resource: '/recommendations',
        method: 'GET',
        query: { type: 'trending', limit: '4' },
      });
      event.multiValueQueryStringParameters = { type: ['trending'], limit: ['3', '4'] };

      const result = (await apiWith().handler(
        event,
        lambdaContext('recommendations'),
      )) as APIGatewayProxyResult;

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).errors).toEqual([{ path: 'limit', message: 'given more than once' }]);
    });

    it('is a 404 for a product the catalog does not have', async () => {
      const answer = await call({ type: 'similar', productId: 'kit-9999' });

      expect(answer.status).toBe(404);
      expect(answer.body.message).toBe('No product kit-9999');
    });
  });

  it('returns 10 items unless told otherwise, at most 50, with CORS headers the storefront can read', async () => {
    const tenByDefault = await call({ type: 'bought-together', productId: 'toy-0001' });
    const fifty = await call({ type: 'bought-together', productId: 'toy-0001', limit: '50' });

    expect(tenByDefault.body.items).toHaveLength(10);
    expect(fifty.body.items).toHaveLength(50);
    expect(tenByDefault.headers).toMatchObject({
      'access-control-allow-origin': ORIGIN,
      'access-control-expose-headers': 'x-recommendation-source',
      vary: 'Origin, Authorization',
    });
  });
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}
