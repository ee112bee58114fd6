import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { EmbeddedSearchIndex } from '../../services/search/embedded-search-index';
import type { SearchIndex } from '../../services/search/search-index';

/**
 * The local platform's search engine: one `EmbeddedSearchIndex` on 127.0.0.1, shared by every
 * function although each runs in its own worker (its own module cache, so an in-process index would
 * be a different, empty one in each). It serves the search port as `POST /<operation>` (`indexOrders`,
 * `deleteOrders`, `searchOrders`, `indexProducts`, `searchProducts`) with the operation's argument
 * as the JSON body, and answers the result as JSON; 400 for an argument that is not what the port
 * takes, 404 for any other request, each with `{ "error": "..." }`.
 *
 * Functions reach it with `SEARCH_BACKEND=local` and `LOCAL_SEARCH_URL=<url>`
 * (`services/search/search-index-from-environment.ts`). The index lives in memory: it starts empty.
 */
export interface SearchService {
  /** `http://127.0.0.1:<port>`, the `LOCAL_SEARCH_URL` of the functions. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface SearchServiceOptions {
  /** @default a free port */
  readonly port?: number;
}

const orderDocument = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: z.string(),
  createdAt: z.string(),
  total: z.number().int(),
  currency: z.string(),
  items: z.array(z.object({ productId: z.string(), name: z.string(), quantity: z.number().int() })),
});

const productDocument = z.object({
  productId: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  price: z.number().int(),
  currency: z.string(),
  imagePath: z.string(),
  stock: z.number().int(),
});

const limit = z.number().int().nonnegative();

/** Each operation of the port with the schema of its one argument. */
const operations: { [K in keyof SearchIndex]: z.ZodType<Parameters<SearchIndex[K]>[0]> } = {
  indexOrders: z.array(orderDocument),
  deleteOrders: z.array(z.string()),
  searchOrders: z
    .object({
      text: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      customerId: z.string().optional(),
      limit,
    })
    // JSON leaves out an `undefined` customer id: absent is every order (shop staff).
    .transform(({ customerId, ...query }) => ({ ...query, customerId })),
  indexProducts: z.array(productDocument),
  searchProducts: z.object({
    text: z.string(),
    category: z.string().optional(),
    limit,
    offset: limit.optional(),
  }),
};

const isOperation = (name: string): name is keyof SearchIndex => Object.hasOwn(operations, name);

export async function startSearchService(options: SearchServiceOptions = {}): Promise<SearchService> {
  const index = new EmbeddedSearchIndex();
  const perform = (operation: keyof SearchIndex, argument: unknown): Promise<unknown> =>
    (index[operation] as (argument: unknown) => Promise<unknown>).call(index, argument);

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.slice(1);
      if (request.method !== 'POST' || !isOperation(name)) {
        const served = Object.keys(operations).map((operation) => `POST /${operation}`);
        reply(404, {
          error: `${request.method} ${request.url} is not an operation of the search service; it serves ${served.join(', ')}`,
        });
        return;
      }
      let argument: unknown;
      try {
        argument = JSON.parse(await bodyOf(request));
      } catch (error) {
        reply(400, { error: `${name}: the body is not JSON: ${(error as Error).message}` });
        return;
      }
      const parsed = operations[name].safeParse(argument);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
        );
        reply(400, { error: `${name}: ${problems.join('; ')}` });
        return;
      }
      reply(200, await perform(name, parsed.data));
    } catch (error) {
      console.error('The local search service failed a request:', error);
      reply(500, { error: 'the search service failed; its log says why' });
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
