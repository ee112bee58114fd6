/**
 * The search port: what the orders and catalog services need from a search engine. Its adapters
 * pass one contract suite: OpenSearch in AWS; on the local platform, an embedded index that the
 * local search service (`local/search/`) holds and every function calls over HTTP. The domain code
 * sees only this interface.
 */

/** An order as the search index holds it (derived from OrdersTable; never the source of truth). */
export interface OrderDocument {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  /** ISO-8601 timestamp. */
  readonly createdAt: string;
  /** In the currency's minor unit (cents). */
  readonly total: number;
  readonly currency: string;
  readonly items: readonly { readonly productId: string; readonly name: string; readonly quantity: number }[];
}

export interface OrderSearchQuery {
  /** Free text matched against product names, the order id and the status. */
  readonly text?: string;
  /** Inclusive lower bound on `createdAt` (ISO-8601). */
  readonly from?: string;
  /** Inclusive upper bound on `createdAt` (ISO-8601). */
  readonly to?: string;
  /** Only this customer's orders; `undefined` searches every order (shop staff). */
  readonly customerId: string | undefined;
  readonly limit: number;
}

/** A product as the search index holds it. */
export interface ProductDocument {
  readonly productId: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  /** In the currency's minor unit (cents). */
  readonly price: number;
  readonly currency: string;
  readonly imagePath: string;
  readonly stock: number;
}

export interface ProductSearchQuery {
  /** Free text matched against name (most), category and description. */
  readonly text: string;
  readonly category?: string;
  readonly limit: number;
  /** How many matches to skip (pagination). @default 0 */
  readonly offset?: number;
}

/** Per-document outcome of a bulk write: the ids that failed, and whether a retry may help. */
export interface BulkWriteResult {
  readonly failed: readonly { readonly id: string; readonly reason: string; readonly retryable: boolean }[];
}

export interface SearchIndex {
  /** Creates or replaces orders, keyed by `orderId` (idempotent). */
  indexOrders(orders: readonly OrderDocument[]): Promise<BulkWriteResult>;
  /** Removes orders; an order that is not there is not a failure. */
  deleteOrders(orderIds: readonly string[]): Promise<BulkWriteResult>;
  /** Matches, best first (newest first when there is no text), at most `limit`. */
  searchOrders(
    query: OrderSearchQuery,
  ): Promise<{ readonly orders: OrderDocument[]; readonly total: number }>;
  /** Creates or replaces products, keyed by `productId` (idempotent). */
  indexProducts(products: readonly ProductDocument[]): Promise<BulkWriteResult>;
  /** Matches, best first. */
  searchProducts(
    query: ProductSearchQuery,
  ): Promise<{ readonly products: ProductDocument[]; readonly total: number }>;
}

/** The search engine cannot answer (down, timing out, refusing): a 503 at the API, a retry for a stream consumer. */
export class SearchUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchUnavailableError';
  }
}
