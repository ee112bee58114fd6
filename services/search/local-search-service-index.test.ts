import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalSearchServiceIndex } from './local-search-service-index';
import { SearchUnavailableError } from './search-index';

/** What the fake answers: a status and a JSON body, or no answer at all (a hung service). */
type Reply = { readonly status: number; readonly body: unknown } | 'no answer';

/** A stand-in for the search service on 127.0.0.1 that records requests and answers `reply`. */
async function startFakeService(reply: Reply) {
  const requests: { method: string; path: string; contentType: string; body: string }[] = [];
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      requests.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        contentType: incoming.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (reply === 'no answer') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('LocalSearchServiceIndex', () => {
  let service: Awaited<ReturnType<typeof startFakeService>> | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('posts each call to /<operation> with its argument as JSON and returns what the service answers', async () => {
    service = await startFakeService({ status: 200, body: { products: [], total: 0 } });
    const index = new LocalSearchServiceIndex(`${service.url}/`);

    const found = await index.searchProducts({ text: 'mug', category: 'kitchen', limit: 5 });

    expect(found).toEqual({ products: [], total: 0 });
    expect(service.requests).toEqual([
      {
        method: 'POST',
        path: '/searchProducts',
        contentType: 'application/json',
        body: JSON.stringify({ text: 'mug', category: 'kitchen', limit: 5 }),
      },
    ]);
  });

  it.each([500, 503, 429])('reports search as unavailable when the service answers %i', async (status) => {
    service = await startFakeService({ status, body: { error: 'the search service failed' } });
    const index = new LocalSearchServiceIndex(service.url);

    const searching = index.searchOrders({ customerId: 'customer-ada', limit: 10 });

    await expect(searching).rejects.toThrow(SearchUnavailableError);
    await expect(searching).rejects.toThrow(`HTTP ${status} the search service failed`);
  });

  it('reports search as unavailable when the service does not answer in time', async () => {
    service = await startFakeService('no answer');
    const index = new LocalSearchServiceIndex(service.url, { timeoutMs: 50 });

    const writing = index.deleteOrders(['o-1']);

    await expect(writing).rejects.toThrow(SearchUnavailableError);
    await expect(writing).rejects.toThrow('could not deleteOrders: no answer within 50 ms');
  });

  it('reports search as unavailable when nothing listens at the URL', async () => {
    service = await startFakeService({ status: 200, body: {} });
    const { url } = service;
    await service.close();
    service = undefined;

    const writing = new LocalSearchServiceIndex(url).indexProducts([]);

    await expect(writing).rejects.toThrow(SearchUnavailableError);
    await expect(writing).rejects.toThrow('ECONNREFUSED');
  });

  it('throws a request the service refuses as a fault of ours, not an outage, quoting its reason', async () => {
    service = await startFakeService({ status: 400, body: { error: 'searchOrders: limit: Invalid input' } });
    const index = new LocalSearchServiceIndex(service.url);

    const searching = index.searchOrders({ customerId: undefined, limit: -1 });

    await expect(searching).rejects.not.toThrow(SearchUnavailableError);
    await expect(searching).rejects.toThrow(
      `The local search service refused ${service.url}/searchOrders: HTTP 400 searchOrders: limit: Invalid input`,
    );
  });
});
