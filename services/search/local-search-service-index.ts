import {
  SearchUnavailableError,
  type BulkWriteResult,
  type OrderDocument,
  type OrderSearchQuery,
  type ProductDocument,
  type ProductSearchQuery,
  type SearchIndex,
} from './search-index';

/** The service answers within this, or the caller hears that search is unavailable. */
const REQUEST_TIMEOUT_MS = 3_000;

type Operation = keyof SearchIndex;

/**
 * The search port on the local platform's search service (`local/search/search-service.ts`), the one
 * embedded index that every function shares although each runs in its own worker. A call is
 * `POST <url>/<operation>` with the operation's argument as JSON. A service that cannot answer (not
 * running, timing out, 429 or 5xx) surfaces as `SearchUnavailableError`; a request it refuses (4xx)
 * is a fault of ours and is thrown as an `Error`.
 */
export class LocalSearchServiceIndex implements SearchIndex {
  private readonly baseUrl: URL;
  private readonly timeoutMs: number;

  /** @param url the service's http URL, such as `http://127.0.0.1:4571` */
  constructor(url: string, options: { readonly timeoutMs?: number } = {}) {
    this.baseUrl = new URL(url.endsWith('/') ? url : `${url}/`);
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  indexOrders(orders: readonly OrderDocument[]): Promise<BulkWriteResult> {
    return this.call('indexOrders', orders);
  }

  deleteOrders(orderIds: readonly string[]): Promise<BulkWriteResult> {
    return this.call('deleteOrders', orderIds);
  }

  searchOrders(query: OrderSearchQuery) {
    return this.call('searchOrders', query);
  }

  indexProducts(products: readonly ProductDocument[]): Promise<BulkWriteResult> {
    return this.call('indexProducts', products);
  }

  searchProducts(query: ProductSearchQuery) {
    return this.call('searchProducts', query);
  }

  private async call<K extends Operation>(
    operation: K,
    argument: Parameters<SearchIndex[K]>[0],
  ): Promise<Awaited<ReturnType<SearchIndex[K]>>> {
    const url = new URL(operation, this.baseUrl);
    const body = JSON.stringify(argument);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new SearchUnavailableError(
        `The local search service at ${this.baseUrl.origin} could not ${operation}: ${this.reasonOf(error)}`,
        { cause: error },
      );
    }
    if (response.status === 429 || response.status >= 500) {
      throw new SearchUnavailableError(
        `The local search service at ${this.baseUrl.origin} could not ${operation}: ` +
          `HTTP ${response.status} ${errorOf(text)}`,
      );
    }
    if (!response.ok) {
      throw new Error(
        `The local search service refused ${url.href}: HTTP ${response.status} ${errorOf(text)}`,
      );
    }
    return JSON.parse(text);
  }

  /** Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` may not hold. */
  private reasonOf(error: unknown): string {
    const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
    if (name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
    const code = (cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : String(message ?? error);
  }
}

/** The service's `{ "error": "..." }`, or the body as it came. */
function errorOf(body: string): string {
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    if (typeof error === 'string') return error;
  } catch {
    // not JSON: quote it as it is
  }
  return body.slice(0, 200);
}
