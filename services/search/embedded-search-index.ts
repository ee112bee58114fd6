import MiniSearch, { type SearchOptions } from 'minisearch';
import { autoFuzziness, orderDocument, productDocument } from './documents';
import type {
  BulkWriteResult,
  OrderDocument,
  OrderSearchQuery,
  ProductDocument,
  ProductSearchQuery,
  SearchIndex,
} from './search-index';

const NO_FAILURES: BulkWriteResult = { failed: [] };

/** Like OpenSearch's `bool_prefix`: every term may be fuzzy, the last one (still being typed) a prefix. */
const typeAheadMatching: SearchOptions = {
  fuzzy: (term) => autoFuzziness(term),
  prefix: (_term, index, terms) => index === terms.length - 1,
};

/**
 * The search port in memory, on MiniSearch: the local platform's search engine, and the reference
 * adapter of the contract suite. It matches text the way the OpenSearch adapter asks OpenSearch to
 * (the same fields, boosts, fuzziness and prefix on the last term), so both rank alike.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  private readonly orders = new Map<string, OrderDocument>();
  private readonly products = new Map<string, ProductDocument>();

  /** Product names and status; the order id is matched exactly, apart from the text index. */
  private readonly orderText = new MiniSearch<OrderDocument>({
    idField: 'orderId',
    fields: ['productNames', 'status'],
    extractField: (order, field) =>
      field === 'productNames' ? order.items.map((item) => item.name).join(' ') : order[field as 'status'],
    searchOptions: { ...typeAheadMatching, boost: { productNames: 2 }, combineWith: 'AND' },
  });

  private readonly productText = new MiniSearch<ProductDocument>({
    idField: 'productId',
    fields: ['name', 'category', 'description'],
    searchOptions: { ...typeAheadMatching, boost: { name: 3 }, combineWith: 'OR' },
  });

  async indexOrders(orders: readonly OrderDocument[]): Promise<BulkWriteResult> {
    for (const order of orders.map(orderDocument)) {
      upsert(this.orderText, this.orders, order.orderId, order);
    }
    return NO_FAILURES;
  }

  async deleteOrders(orderIds: readonly string[]): Promise<BulkWriteResult> {
    for (const orderId of orderIds) {
      if (this.orders.delete(orderId)) this.orderText.discard(orderId);
    }
    return NO_FAILURES;
  }

  async searchOrders(query: OrderSearchQuery) {
    const inScope = (order: OrderDocument) =>
      (query.customerId === undefined || order.customerId === query.customerId) &&
      createdWithin(order, query.from, query.to);
    const matches = this.ordersMatching(query.text?.trim()).filter(inScope);
    return { orders: matches.slice(0, query.limit), total: matches.length };
  }

  async indexProducts(products: readonly ProductDocument[]): Promise<BulkWriteResult> {
    for (const product of products.map(productDocument)) {
      upsert(this.productText, this.products, product.productId, product);
    }
    return NO_FAILURES;
  }

  async searchProducts(query: ProductSearchQuery) {
    const inCategory = (product: ProductDocument) =>
      query.category === undefined || product.category === query.category;
    const matches = this.productsMatching(query.text.trim()).filter(inCategory);
    const offset = query.offset ?? 0;
    return { products: matches.slice(offset, offset + query.limit), total: matches.length };
  }

  /** Best first: the order whose id is the text, then matches by score; newest first without text. */
  private ordersMatching(text: string | undefined): OrderDocument[] {
    if (!text) return [...this.orders.values()].sort(newestFirst);
    const byId = this.orders.get(text);
    const byText = this.found(this.orderText.search(text), this.orders);
    return byId ? [byId, ...byText.filter((order) => order !== byId)] : byText;
  }

  /** Best first; by name without text. */
  private productsMatching(text: string): ProductDocument[] {
    if (!text) return [...this.products.values()].sort((a, b) => a.name.localeCompare(b.name));
    return this.found(this.productText.search(text), this.products);
  }

  private found<T>(results: readonly { id: string }[], documents: ReadonlyMap<string, T>): T[] {
    return results.flatMap((result) => {
      const document = documents.get(result.id);
      return document ? [document] : [];
    });
  }
}

function upsert<T>(text: MiniSearch<T>, documents: Map<string, T>, id: string, document: T): void {
  if (documents.has(id)) text.replace(document);
  else text.add(document);
  documents.set(id, document);
}

/** Both bounds inclusive, compared as instants (as OpenSearch compares `date` fields). */
function createdWithin(order: OrderDocument, from: string | undefined, to: string | undefined): boolean {
  const createdAt = Date.parse(order.createdAt);
  return (
    (from === undefined || createdAt >= Date.parse(from)) && (to === undefined || createdAt <= Date.parse(to))
  );
}

function newestFirst(a: OrderDocument, b: OrderDocument): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.orderId.localeCompare(b.orderId);
}
