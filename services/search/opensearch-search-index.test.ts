import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@opensearch-project/opensearch';
import { createHash } from 'node:crypto';
import { OpenSearchSearchIndex, openSearchIndexFromEndpoint } from './opensearch-search-index';
import { SearchUnavailableError, type OrderDocument, type ProductDocument } from './search-index';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** What the fake answers: a status and a JSON body, or no answer at all (a hung server). */
type Reply = { readonly status: number; readonly body?: unknown } | 'no answer';

/**
 * An HTTP server on 127.0.0.1 that records every request and answers like a fresh OpenSearch
 * cluster (no index until one is created; every bulk item succeeds; no hits), unless a test
 * sets the reply to `METHOD /path`.
 */
async function startFakeOpenSearch() {
  const requests: RecordedRequest[] = [];
  const replies = new Map<string, Reply>();
  const createdIndexes = new Set<string>();

  const defaultReply = ({ method, path, body }: RecordedRequest): Reply => {
    const index = path.slice(1);
    if (method === 'HEAD') return { status: createdIndexes.has(index) ? 200 : 404 };
    if (path.endsWith('/_bulk')) {
      const actions = ndjson(body).filter((line) => 'index' in line || 'delete' in line);
      const items = actions.map((action) => {
        const [type, { _index, _id }] = Object.entries(action)[0]!;
        return { [type]: { _index, _id, status: type === 'index' ? 201 : 200, result: 'ok' } };
      });
      return { status: 200, body: { took: 1, errors: false, items } };
    }
    if (method === 'PUT') {
      createdIndexes.add(index);
      return { status: 200, body: { acknowledged: true, index } };
    }
    return { status: 200, body: searchResponse([], 0) };
  };

  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        headers: incoming.headers,
      };
      requests.push(request);
      const reply = replies.get(`${request.method} ${request.path}`) ?? defaultReply(request);
      if (reply === 'no answer') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply: (route: string, reply: Reply) => replies.set(route, reply),
    /** The JSON body of each request to `METHOD /path`. */
    bodiesOf: (route: string) =>
      requests.filter((r) => `${r.method} ${r.path}` === route).map((r) => JSON.parse(r.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ndjson = (body: string): Record<string, any>[] =>
  body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

const searchResponse = (sources: readonly object[], total: number) => ({
  took: 1,
  timed_out: false,
  hits: {
    total: { value: total, relation: 'eq' },
    max_score: 1,
    hits: sources.map((source, i) => ({ _index: 'x', _id: String(i), _score: 1, _source: source })),
  },
});

const order = (orderId: string, customerId = 'customer-ada'): OrderDocument => ({
  orderId,
  customerId,
  status: 'PLACED',
  createdAt: '2024-03-01T09:00:00.000Z',
  total: 34_900,
  currency: 'USD',
  items: [{ productId: 'p-desk', name: 'Walnut desk', quantity: 1 }],
});

const lamp: ProductDocument = {
  productId: 'p-lamp',
  name: 'Desk lamp',
  description: 'Warm light to read by.',
  category: 'lighting',
  price: 4_900,
  currency: 'USD',
  imagePath: '/images/p-lamp.jpg',
  stock: 3,
};

describe('OpenSearchSearchIndex', () => {
  let openSearch: Awaited<ReturnType<typeof startFakeOpenSearch>>;
  let index: OpenSearchSearchIndex;

  beforeEach(async () => {
    openSearch = await startFakeOpenSearch();
    index = new OpenSearchSearchIndex(new Client({ node: openSearch.url }));
  });

  afterEach(async () => {
    await openSearch.close();
  });

  describe('its indexes', () => {
    it('creates the orders index with an explicit mapping on first use, and only then', async () => {
      await index.indexOrders([order('o-1')]);
      await index.searchOrders({ customerId: undefined, limit: 10 });

      const calls = openSearch.requests.map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual(['HEAD /orders', 'PUT /orders', 'PUT /orders/_bulk', 'GET /orders/_search']);
      const [created] = openSearch.bodiesOf('PUT /orders');
      expect(created.mappings).toMatchObject({
        dynamic: 'strict',
        properties: {
          orderId: { type: 'keyword' },
          customerId: { type: 'keyword' },
          status: { type: 'keyword' },
          currency: { type: 'keyword' },
          createdAt: { type: 'date' },
          total: { type: 'integer' },
          items: {
            properties: {
              productId: { type: 'keyword' },
              name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
              quantity: { type: 'integer' },
            },
          },
        },
      });
    });

    it('creates the products index with its own mapping', async () => {
      await index.indexProducts([lamp]);

      const [created] = openSearch.bodiesOf('PUT /products');
      expect(created.mappings.properties).toMatchObject({
        productId: { type: 'keyword' },
        name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
        description: { type: 'text' },
        category: { type: 'keyword' },
        price: { type: 'integer' },
      });
    });

    it('searches without creating an index, finding nothing until one is written', async () => {
      openSearch.reply('GET /orders/_search', {
        status: 404,
        body: { error: { type: 'index_not_found_exception', reason: 'no such index [orders]' }, status: 404 },
      });

      expect(await index.searchOrders({ customerId: 'customer-ada', limit: 10 })).toEqual({
        orders: [],
        total: 0,
      });
      const calls = openSearch.requests.map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual(['GET /orders/_search']);
    });

    it('uses an index that already exists as it is', async () => {
      openSearch.reply('HEAD /orders', { status: 200 });
      await index.indexOrders([order('o-1')]);

      expect(openSearch.bodiesOf('PUT /orders')).toEqual([]);
    });

    it('goes on when another writer creates the index between its check and its create', async () => {
      // How OpenSearch answers the loser of that race.
      openSearch.reply('PUT /orders', {
        status: 400,
        body: {
          error: { type: 'resource_already_exists_exception', reason: 'index [orders] already exists' },
        },
      });

      expect(await index.indexOrders([order('o-1')])).toEqual({ failed: [] });
      const calls = openSearch.requests.map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual(['HEAD /orders', 'PUT /orders', 'PUT /orders/_bulk']);
    });
  });

  describe('bulk writes', () => {
    it('writes orders in one bulk request, each keyed by its order id, with only its fields', async () => {
      const withShippingAddress = { ...order('o-2'), shippingAddress: { city: 'Lyon' } };
      await index.indexOrders([order('o-1'), withShippingAddress]);

      const [bulk] = openSearch.requests.filter((r) => r.path.endsWith('/_bulk'));
      expect(ndjson(bulk!.body)).toEqual([
        { index: { _index: 'orders', _id: 'o-1' } },
        order('o-1'),
        { index: { _index: 'orders', _id: 'o-2' } },
        order('o-2'),
      ]);
    });

    it('deletes orders by id in one bulk request', async () => {
      await index.deleteOrders(['o-1', 'o-2']);

      const [bulk] = openSearch.requests.filter((r) => r.path.endsWith('/_bulk'));
      expect(ndjson(bulk!.body)).toEqual([
        { delete: { _index: 'orders', _id: 'o-1' } },
        { delete: { _index: 'orders', _id: 'o-2' } },
      ]);
    });

    it('writes products keyed by product id', async () => {
      await index.indexProducts([lamp]);

      const [bulk] = openSearch.requests.filter((r) => r.path.endsWith('/_bulk'));
      expect(ndjson(bulk!.body)).toEqual([{ index: { _index: 'products', _id: 'p-lamp' } }, lamp]);
    });

    it('sends nothing for an empty batch', async () => {
      expect(await index.indexOrders([])).toEqual({ failed: [] });
      expect(openSearch.requests).toEqual([]);
    });

    it('reports each rejected item, retryable only when OpenSearch was throttling or failing', async () => {
      openSearch.reply('PUT /orders/_bulk', {
        status: 200,
        body: {
          took: 3,
          errors: true,
          items: [
            { index: { _index: 'orders', _id: 'o-1', status: 201, result: 'created' } },
            {
              index: {
                _index: 'orders',
                _id: 'o-2',
                status: 429,
                error: { type: 'es_rejected_execution_exception', reason: 'queue full' },
              },
            },
            {
              index: {
                _index: 'orders',
                _id: 'o-3',
                status: 400,
                error: { type: 'strict_dynamic_mapping_exception', reason: 'field [coupon] not allowed' },
              },
            },
            {
              index: {
                _index: 'orders',
                _id: 'o-4',
                status: 503,
                error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
              },
            },
          ],
        },
      });

      const result = await index.indexOrders(['o-1', 'o-2', 'o-3', 'o-4'].map((id) => order(id)));

      expect(result.failed).toEqual([
        { id: 'o-2', reason: 'es_rejected_execution_exception: queue full', retryable: true },
        {
          id: 'o-3',
          reason: 'strict_dynamic_mapping_exception: field [coupon] not allowed',
          retryable: false,
        },
        { id: 'o-4', reason: 'unavailable_shards_exception: primary shard is not active', retryable: true },
      ]);
    });

    it('does not count the deletion of an order the index does not hold as a failure', async () => {
      openSearch.reply('PUT /orders/_bulk', {
        status: 200,
        body: {
          took: 1,
          errors: true,
          items: [
            { delete: { _index: 'orders', _id: 'gone', status: 404, result: 'not_found' } },
            {
              delete: {
                _index: 'orders',
                _id: 'o-1',
                status: 503,
                error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
              },
            },
          ],
        },
      });

      const result = await index.deleteOrders(['gone', 'o-1']);

      expect(result.failed.map((failure) => failure.id)).toEqual(['o-1']);
    });
  });

  describe('order search', () => {
    const searchBody = () => openSearch.bodiesOf('GET /orders/_search')[0];

    it("filters a customer's search to that customer, the date range and the text", async () => {
      await index.searchOrders({
        customerId: 'customer-ada',
        text: 'walnut',
        from: '2024-03-01T00:00:00.000Z',
        to: '2024-03-31T23:59:59.999Z',
        limit: 5,
      });

      const body = searchBody();
      expect(body).toMatchObject({ size: 5, track_total_hits: true });
      expect(body.query.bool.filter).toEqual([
        { term: { customerId: 'customer-ada' } },
        { range: { createdAt: { gte: '2024-03-01T00:00:00.000Z', lte: '2024-03-31T23:59:59.999Z' } } },
      ]);
      expect(body.query.bool.must).toEqual([
        {
          bool: {
            should: [
              {
                multi_match: {
                  query: 'walnut',
                  fields: ['items.name^2', 'status'],
                  type: 'bool_prefix',
                  operator: 'and',
                  fuzziness: 'AUTO',
                },
              },
              { term: { orderId: { value: 'walnut', boost: 10 } } },
            ],
            minimum_should_match: 1,
          },
        },
      ]);
      expect(body.sort).toEqual(['_score', { createdAt: { order: 'desc' } }]);
    });

    it('searches every order, newest first, for shop staff without text', async () => {
      await index.searchOrders({ customerId: undefined, limit: 20 });

      const body = searchBody();
      expect(JSON.stringify(body)).not.toContain('customerId');
      expect(body.query).toEqual({ bool: { filter: [] } });
      expect(body.sort).toEqual([{ createdAt: { order: 'desc' } }]);
    });

    it('keeps an open-ended date range open on the missing side', async () => {
      await index.searchOrders({ customerId: undefined, from: '2024-03-01T00:00:00.000Z', limit: 20 });

      expect(searchBody().query.bool.filter).toEqual([
        { range: { createdAt: { gte: '2024-03-01T00:00:00.000Z' } } },
      ]);
    });

    it('turns the hits into orders and reports the total number of matches', async () => {
      openSearch.reply('GET /orders/_search', {
        status: 200,
        body: searchResponse([order('o-9'), order('o-8')], 42),
      });

      const found = await index.searchOrders({ customerId: undefined, limit: 2 });

      expect(found).toEqual({ orders: [order('o-9'), order('o-8')], total: 42 });
    });
  });

  describe('product search', () => {
    const searchBody = () => openSearch.bodiesOf('GET /products/_search')[0];

    it('matches the text over name (boosted), category and description, in the category, at the offset', async () => {
      await index.searchProducts({ text: 'desk', category: 'lighting', limit: 5, offset: 10 });

      expect(searchBody()).toEqual({
        from: 10,
        size: 5,
        track_total_hits: true,
        query: {
          bool: {
            must: [
              {
                multi_match: {
                  query: 'desk',
                  fields: ['name^3', 'category', 'description'],
                  type: 'bool_prefix',
                  fuzziness: 'AUTO',
                },
              },
            ],
            filter: [{ term: { category: 'lighting' } }],
          },
        },
        sort: ['_score', { 'name.keyword': { order: 'asc' } }],
      });
    });

    it('lists every product by name when there is no text', async () => {
      await index.searchProducts({ text: ' ', limit: 5 });

      expect(searchBody()).toMatchObject({
        from: 0,
        query: { bool: { must: [{ match_all: {} }], filter: [] } },
        sort: [{ 'name.keyword': { order: 'asc' } }],
      });
    });

    it('turns the hits into products and reports the total number of matches', async () => {
      openSearch.reply('GET /products/_search', { status: 200, body: searchResponse([lamp], 7) });

      expect(await index.searchProducts({ text: 'lamp', limit: 1 })).toEqual({ products: [lamp], total: 7 });
    });
  });

  describe('openSearchIndexFromEndpoint', () => {
    it("signs each request with SigV4 for OpenSearch Service, over the request's body", async () => {
      // The credentials come from the SDK's default chain: here the test environment's variables.
      const signed = openSearchIndexFromEndpoint(openSearch.url, 'eu-west-1');

      await signed.searchOrders({ customerId: 'customer-ada', limit: 1 });

      const [search] = openSearch.requests;
      expect(search!.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host/,
      );
      expect(search!.headers['x-amz-content-sha256']).toBe(
        createHash('sha256').update(search!.body).digest('hex'),
      );
    });
  });

  describe('when OpenSearch cannot answer', () => {
    it.each([503, 429])('reports search as unavailable when OpenSearch answers %i', async (status) => {
      openSearch.reply('GET /orders/_search', { status, body: { error: { type: 'overloaded' } } });

      await expect(index.searchOrders({ customerId: undefined, limit: 1 })).rejects.toThrow(
        SearchUnavailableError,
      );
    });

    it('reports a bulk write as unavailable when OpenSearch throttles the whole request', async () => {
      openSearch.reply('PUT /orders/_bulk', { status: 429, body: { error: { type: 'too_many_requests' } } });

      await expect(index.indexOrders([order('o-1')])).rejects.toThrow(SearchUnavailableError);
    });

    it('reports search as unavailable when the connection is refused, keeping the cause', async () => {
      await openSearch.close();

      const error = await index.searchProducts({ text: 'lamp', limit: 1 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SearchUnavailableError);
      expect((error as Error).cause).toMatchObject({ name: 'ConnectionError' });
    });

    it('reports search as unavailable when OpenSearch does not answer in time', async () => {
      openSearch.reply('GET /orders/_search', 'no answer');
      const impatient = new OpenSearchSearchIndex(
        new Client({ node: openSearch.url, requestTimeout: 200, maxRetries: 0 }),
      );

      const error = await impatient
        .searchOrders({ customerId: undefined, limit: 1 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SearchUnavailableError);
      expect((error as Error).cause).toMatchObject({ name: 'TimeoutError' });
    });

    it('throws a rejected query as it is: a fault of ours, not an outage', async () => {
      openSearch.reply('GET /orders/_search', {
        status: 400,
        body: { error: { type: 'parsing_exception', reason: 'unknown query' } },
      });

      const error = await index.searchOrders({ customerId: undefined, limit: 1 }).catch((e: unknown) => e);

      expect(error).not.toBeInstanceOf(SearchUnavailableError);
      expect(error).toMatchObject({ name: 'ResponseError', statusCode: 400 });
    });

    it('checks for the index again on the next use after a failed check', async () => {
      openSearch.reply('HEAD /orders', { status: 503 });
      await expect(index.indexOrders([order('o-1')])).rejects.toThrow(SearchUnavailableError);

      openSearch.reply('HEAD /orders', { status: 200 });
      expect(await index.indexOrders([order('o-1')])).toEqual({ failed: [] });
    });
  });
});
