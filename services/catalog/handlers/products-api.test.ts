import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { observability } from '../../shared/powertools';
import { EmbeddedSearchIndex } from '../../search/embedded-search-index';
import { SearchUnavailableError } from '../../search/search-index';
import { apiGatewayEvent, lambdaContext } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { DynamoDbProductStore } from '../adapters/dynamodb-product-store';
import { SAMPLE_CATALOG } from '../data/sample-catalog';
import type { ProductSearch } from '../domain/browse-products';
import { createProductsApi, DEFAULT_PAGE_SIZE } from './products-api-routes';

const ORIGIN = 'https://shop.example.com';

let tables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
let store: DynamoDbProductStore;
let search: EmbeddedSearchIndex;

beforeAll(async () => {
  tables = await createLocalTables('ProductsTable');
  store = new DynamoDbProductStore({ documents: tables.documents, tableName: tables.names.ProductsTable });
  await store.putAll(SAMPLE_CATALOG);
  search = new EmbeddedSearchIndex();
  await search.indexProducts(SAMPLE_CATALOG);
});

afterAll(() => tables.deleteAll());

function apiSearchingWith(productSearch: ProductSearch) {
  return createProductsApi({ ...observability(), allowedOrigin: ORIGIN, store, search: productSearch });
}

const listEvent = (query: Record<string, string> = {}) =>
  apiGatewayEvent({ resource: '/products', method: 'GET', query });

const productEvent = (productId: string) =>
  apiGatewayEvent({ resource: '/products/{productId}', method: 'GET', pathParameters: { productId } });

async function call(event: APIGatewayProxyEvent, productSearch: ProductSearch = search) {
  const result = (await apiSearchingWith(productSearch)(
    event,
    lambdaContext('products'),
  )) as APIGatewayProxyResult;
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body) };
}

/** Every product of a listing, following nextToken page after page. */
async function everyPage(query: Record<string, string>) {
  const pages: { productId: string }[][] = [];
  let nextToken: string | undefined;
  do {
    const { status, body } = await call(listEvent({ ...query, ...(nextToken && { nextToken }) }));
    expect(status).toBe(200);
    pages.push(body.products);
    nextToken = body.nextToken;
  } while (nextToken);
  return pages;
}

const idsOf = (products: readonly { productId: string }[]) => products.map((product) => product.productId);

describe('GET /products', () => {
  it('answers a first page of 20 products with a nextToken, cacheable for a minute', async () => {
    const event = listEvent();
    const { status, headers, body } = await call(event);
    expect(status).toBe(200);
    expect(body.products).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(body.nextToken).toEqual(expect.any(String));
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'public, max-age=60',
      'access-control-allow-origin': ORIGIN,
      'x-request-id': event.requestContext.requestId,
    });
  });

  it('leads through every product exactly once by following nextToken', async () => {
    const ids = idsOf((await everyPage({ limit: '100' })).flat());
    expect(ids).toHaveLength(SAMPLE_CATALOG.length);
    expect(new Set(ids)).toEqual(new Set(idsOf(SAMPLE_CATALOG)));
  });

  it('lists a category sorted by name', async () => {
    const audio = SAMPLE_CATALOG.filter((product) => product.category === 'audio');
    const { status, body } = await call(listEvent({ category: 'audio', limit: '100' }));
    expect(status).toBe(200);
    expect(body.products).toEqual(expect.arrayContaining(audio));
    expect(body.products).toHaveLength(audio.length);
    const names: string[] = body.products.map((product: { name: string }) => product.name);
    expect(names).toEqual([...names].sort());
  });

  it('pages through a category with no product repeated or skipped', async () => {
    const pages = await everyPage({ category: 'garden', limit: '4' });
    const expected = SAMPLE_CATALOG.filter((product) => product.category === 'garden');
    expect(pages.every((page) => page.length <= 4)).toBe(true);
    expect(idsOf(pages.flat()).sort()).toEqual(idsOf(expected).sort());
  });

  it('answers an unknown category with an empty list', async () => {
    const { status, body } = await call(listEvent({ category: 'spaceships' }));
    expect(status).toBe(200);
    expect(body).toEqual({ products: [] });
  });

  it('answers q with matching products from the search index, best match first', async () => {
    const { status, headers, body } = await call(listEvent({ q: 'skillet' }));
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('public, max-age=60');
    const skillets = SAMPLE_CATALOG.filter((product) => product.name.includes('Skillet'));
    expect(body.products.slice(0, skillets.length)).toEqual(expect.arrayContaining(skillets));
  });

  it('narrows a search to the category given', async () => {
    const { status, body } = await call(listEvent({ q: 'black', category: 'home-office' }));
    expect(status).toBe(200);
    expect(body.products.length).toBeGreaterThan(0);
    expect(body.products.every((product: { category: string }) => product.category === 'home-office')).toBe(
      true,
    );
  });

  it('pages through search results with nextToken', async () => {
    const { body: all } = await call(listEvent({ q: 'lamp', limit: '100' }));
    const pages = await everyPage({ q: 'lamp', limit: '2' });
    expect(pages.length).toBeGreaterThan(1);
    expect(idsOf(pages.flat())).toEqual(idsOf(all.products));
  });

  it.each([
    ['0', 'zero'],
    ['101', 'over 100'],
    ['ten', 'not a number'],
    ['2.5', 'not whole'],
    ['', 'empty'],
  ])('rejects limit=%s (%s) with 400', async (limit) => {
    const event = listEvent({ limit });
    const { status, headers, body } = await call(event);
    expect(status).toBe(400);
    expect(headers['cache-control']).toBeUndefined();
    expect(body).toEqual({
      message: 'Invalid query',
      errors: [{ path: 'limit', message: 'a whole number from 1 to 100' }],
      requestId: event.requestContext.requestId,
    });
  });

  it('rejects an unknown query parameter with 400 naming it', async () => {
    const { status, body } = await call(listEvent({ sort: 'price' }));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { path: 'sort', message: 'unknown parameter; use category, q, limit, nextToken' },
    ]);
  });

  it('rejects a parameter given twice with 400', async () => {
    const event = {
      ...listEvent({ limit: '5' }),
      multiValueQueryStringParameters: { limit: ['50', '5'] },
    };
    const { status, body } = await call(event);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ path: 'limit', message: 'given more than once' }]);
  });

  it('lists every problem of a query at once', async () => {
    const { status, body } = await call(
      listEvent({ q: 'x'.repeat(101), category: 'Home Office', page: '2' }),
    );
    expect(status).toBe(400);
    expect(body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'category',
      'page',
      'q',
    ]);
  });

  it('rejects a nextToken that is not one the API issued with 400', async () => {
    const { status, body } = await call(listEvent({ nextToken: 'not-a-token' }));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      message: 'Invalid nextToken',
      errors: [{ path: 'nextToken', message: expect.any(String) }],
    });
  });

  it.each([
    ['a category listing', 'another category', { category: 'books', limit: '2' }, { category: 'toys' }],
    ['a category listing', 'a search', { category: 'books', limit: '2' }, { q: 'lamp' }],
    ['a search', 'a listing of every product', { q: 'lamp', limit: '2' }, {}],
  ])('rejects a nextToken of %s used for %s with 400', async (_issuedFor, _usedFor, first, then) => {
    const { body: firstPage } = await call(listEvent(first));
    const { status, body } = await call(listEvent({ ...then, nextToken: firstPage.nextToken }));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { path: 'nextToken', message: 'not a token this API issued for this query' },
    ]);
  });

  describe('when the search engine is down', () => {
    const searchDown: ProductSearch = {
      searchProducts: async () => {
        throw new SearchUnavailableError('connect ECONNREFUSED 10.0.0.7:443');
      },
    };

    it('answers a search with 503 and a message that reveals nothing of the cause', async () => {
      const event = listEvent({ q: 'skillet' });
      const { status, headers, body } = await call(event, searchDown);
      expect(status).toBe(503);
      expect(headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(headers['x-request-id']).toBe(event.requestContext.requestId);
      expect(body).toEqual({
        message: 'Product search is unavailable for a moment. Try again shortly.',
        requestId: event.requestContext.requestId,
      });
    });

    it('still lists products by category', async () => {
      const { status, body } = await call(listEvent({ category: 'toys' }), searchDown);
      expect(status).toBe(200);
      expect(body.products.length).toBeGreaterThan(0);
    });
  });
});

describe('GET /products/{productId}', () => {
  it('answers a product with 200, cacheable for a minute', async () => {
    const product = SAMPLE_CATALOG.find((candidate) => candidate.productId === 'fit-0007')!;
    const event = productEvent('fit-0007');
    const { status, headers, body } = await call(event);
    expect(status).toBe(200);
    expect(body).toEqual(product);
    expect(headers).toMatchObject({
      'cache-control': 'public, max-age=60',
      'access-control-allow-origin': ORIGIN,
      'x-request-id': event.requestContext.requestId,
    });
  });

  it('answers an unknown product with 404', async () => {
    const event = productEvent('kit-9999');
    const { status, headers, body } = await call(event);
    expect(status).toBe(404);
    expect(headers['cache-control']).toBeUndefined();
    expect(headers['x-request-id']).toBe(event.requestContext.requestId);
    expect(body).toEqual({ message: 'No product kit-9999', requestId: event.requestContext.requestId });
  });

  it('rejects a malformed product id with 400', async () => {
    const { status, body } = await call(productEvent('Kit 7'));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { path: 'productId', message: expect.stringContaining('such as kit-0007') },
    ]);
  });
});

describe('other routes', () => {
  it('answers a method the API does not serve with 404', async () => {
    const { status } = await call(apiGatewayEvent({ resource: '/products', method: 'DELETE' }));
    expect(status).toBe(404);
  });
});
