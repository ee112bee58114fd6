import { LocalSearchServiceIndex } from '../../services/search/local-search-service-index';
import {
  SearchUnavailableError,
  type OrderDocument,
  type SearchIndex,
} from '../../services/search/search-index';
import { describeSearchIndexContract } from '../../services/search/search-index.contract';
import { startSearchService, type SearchService } from './search-service';

const started: SearchService[] = [];

async function startService(): Promise<SearchService> {
  const service = await startSearchService();
  started.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

describeSearchIndexContract(
  'LocalSearchServiceIndex on the search service',
  async () => new LocalSearchServiceIndex((await startService()).url),
);

const order: OrderDocument = {
  orderId: 'o-1',
  customerId: 'customer-ada',
  status: 'PLACED',
  createdAt: '2024-03-01T09:00:00.000Z',
  total: 34_900,
  currency: 'USD',
  items: [{ productId: 'p-desk', name: 'Walnut desk', quantity: 1 }],
};

describe('the search service', () => {
  let service: SearchService;

  beforeEach(async () => {
    service = await startService();
  });

  const post = async (path: string, body: string, method = 'POST') => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      body: method === 'GET' ? undefined : body,
    });
    return { status: response.status, body: (await response.json()) as { error: string } };
  };

  it('listens on 127.0.0.1', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives functions with separate module caches, as the local platform runs them, one index', async () => {
    const env = { SEARCH_BACKEND: 'local', LOCAL_SEARCH_URL: service.url };
    /** The index a function builds from its environment at cold start, in a module cache of its own. */
    const indexOfAFunction = async () => {
      let index: SearchIndex | undefined;
      await jest.isolateModulesAsync(async () => {
        const { searchIndexFromEnvironment } =
          await import('../../services/search/search-index-from-environment');
        index = searchIndexFromEnvironment(env);
      });
      return index!;
    };
    const orderIndexer = await indexOfAFunction();
    const ordersApi = await indexOfAFunction();

    await orderIndexer.indexOrders([order]);

    expect(await ordersApi.searchOrders({ customerId: 'customer-ada', limit: 10 })).toEqual({
      orders: [order],
      total: 1,
    });
  });

  it('answers 400 naming each field of an argument the port does not take', async () => {
    const response = await post(
      '/indexOrders',
      JSON.stringify([{ ...order, total: '349.00', items: undefined }]),
    );

    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^indexOrders: 0\.total: .*; 0\.items: /);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await post('/searchOrders', 'customerId=customer-ada');

    expect(response).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^searchOrders: the body is not JSON/) },
    });
  });

  it.each([
    ['an operation the port does not have', 'POST', '/reindexEverything'],
    ['a property that is not an operation', 'POST', '/constructor'],
    ['a GET', 'GET', '/searchOrders'],
  ])('answers 404 to %s, listing the operations', async (_case, method, path) => {
    const response = await post(path, '{}', method);

    expect(response.status).toBe(404);
    expect(response.body.error).toContain('POST /indexOrders, POST /deleteOrders, POST /searchOrders');
  });

  it('leaves its clients with an unavailable search once it is stopped', async () => {
    const index = new LocalSearchServiceIndex(service.url);
    await index.indexOrders([order]);

    await service.stop();
    started.splice(started.indexOf(service), 1);

    await expect(index.searchOrders({ customerId: 'customer-ada', limit: 10 })).rejects.toThrow(
      SearchUnavailableError,
    );
  });
});
