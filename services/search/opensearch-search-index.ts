import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client, errors, type API, type Types } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { orderDocument, productDocument } from './documents';
import { ordersIndex, productsIndex, type IndexDefinition } from './opensearch-indexes';
import { orderSearchRequest, productSearchRequest } from './opensearch-queries';
import {
  SearchUnavailableError,
  type BulkWriteResult,
  type OrderDocument,
  type OrderSearchQuery,
  type ProductDocument,
  type ProductSearchQuery,
  type SearchIndex,
} from './search-index';

/** A search answers within this, or the caller hears that search is unavailable. */
const REQUEST_TIMEOUT_MS = 3_000;

/**
 * The search port on an Amazon OpenSearch Service domain: requests signed with SigV4 (service
 * `es`) with the function's credentials, a short timeout and one retry.
 * @param endpoint the domain's https URL, e.g. `https://search-shop-abc123.eu-west-1.es.amazonaws.com`
 */
export function openSearchIndexFromEndpoint(endpoint: string, region: string): OpenSearchSearchIndex {
  const client = new Client({
    ...AwsSigv4Signer({ region, service: 'es', getCredentials: defaultProvider() }),
    node: endpoint,
    requestTimeout: REQUEST_TIMEOUT_MS,
    maxRetries: 1,
  });
  return new OpenSearchSearchIndex(client);
}

/**
 * The search port on OpenSearch: indexes `orders` and `products`. A writer creates an index, with
 * its mapping, the first time it writes to it; a search of an index not created yet finds nothing.
 * Writes are bulk requests keyed by the document's id, so a replay replaces rather than duplicates.
 * An outage (no connection, a timeout, 5xx, 429) surfaces as `SearchUnavailableError`; any other
 * error is a fault of ours and is thrown as it is.
 *
 * Every request stays under `/<index>/`, with searches as GET, so that the index-scoped grants
 * suffice: `grantIndexRead` (GET, HEAD) to search, `grantIndexReadWrite` to write.
 */
export class OpenSearchSearchIndex implements SearchIndex {
  /** Per index, its creation-if-missing: once per process while it succeeds. */
  private readonly indexesReady = new Map<string, Promise<void>>();

  constructor(private readonly client: Client) {}

  async indexOrders(orders: readonly OrderDocument[]): Promise<BulkWriteResult> {
    const operations = orders.map(orderDocument).map((order) => ({ id: order.orderId, document: order }));
    return this.bulkWrite(ordersIndex, operations);
  }

  async deleteOrders(orderIds: readonly string[]): Promise<BulkWriteResult> {
    return this.bulkWrite(
      ordersIndex,
      orderIds.map((id) => ({ id })),
    );
  }

  async searchOrders(query: OrderSearchQuery) {
    const { documents, total } = await this.search<OrderDocument>(ordersIndex, orderSearchRequest(query));
    return { orders: documents, total };
  }

  async indexProducts(products: readonly ProductDocument[]): Promise<BulkWriteResult> {
    const operations = products
      .map(productDocument)
      .map((product) => ({ id: product.productId, document: product }));
    return this.bulkWrite(productsIndex, operations);
  }

  async searchProducts(query: ProductSearchQuery) {
    const { documents, total } = await this.search<ProductDocument>(
      productsIndex,
      productSearchRequest(query),
    );
    return { products: documents, total };
  }

  /** Index (create or replace) the operations with a document, delete the others. */
  private async bulkWrite(
    index: IndexDefinition,
    operations: readonly { id: string; document?: object }[],
  ): Promise<BulkWriteResult> {
    if (operations.length === 0) return { failed: [] };
    const body = operations.flatMap(({ id, document }) =>
      document
        ? [{ index: { _index: index.name, _id: id } }, document]
        : [{ delete: { _index: index.name, _id: id } }],
    );
    return unavailableOnOutage(`write to the ${index.name} index`, async () => {
      await this.ensureIndex(index);
      const response = await this.client.bulk({ index: index.name, body });
      return { failed: response.body.errors ? failedItems(response.body.items) : [] };
    });
  }

  private async search<T>(index: IndexDefinition, body: API.Search_RequestBody) {
    return unavailableOnOutage(`search the ${index.name} index`, async () => {
      let response: API.Search_ResponseBody;
      try {
        // GET with a body, which OpenSearch accepts: the client would POST, which a read grant denies.
        const path = `/${index.name}/_search`;
        response = (await this.client.transport.request({ method: 'GET', path, body })).body;
      } catch (error) {
        if (errorType(error) === 'index_not_found_exception') return { documents: [], total: 0 };
        throw error;
      }
      const documents = response.hits.hits.flatMap((hit) => (hit._source ? [hit._source as T] : []));
      const { total } = response.hits;
      return { documents, total: typeof total === 'number' ? total : (total?.value ?? documents.length) };
    });
  }

  private ensureIndex(index: IndexDefinition): Promise<void> {
    let ready = this.indexesReady.get(index.name);
    if (!ready) {
      ready = this.createIfMissing(index).catch((error: unknown) => {
        this.indexesReady.delete(index.name); // try again on the next use
        throw error;
      });
      this.indexesReady.set(index.name, ready);
    }
    return ready;
  }

  private async createIfMissing({ name, body }: IndexDefinition): Promise<void> {
    const exists = await this.client.indices.exists({ index: name });
    if (exists.body) return;
    try {
      await this.client.indices.create({ index: name, body });
    } catch (error) {
      // Another function created it between our check and our create: that is what we wanted.
      if (errorType(error) !== 'resource_already_exists_exception') throw error;
    }
  }
}

/** Each failed item of a bulk response; a delete of a missing document is not a failure. */
function failedItems(items: readonly Types.Core_Bulk.Item[]): BulkWriteResult['failed'] {
  return items.flatMap((item) => {
    const result = item.index ?? item.delete ?? item.create ?? item.update;
    if (!result?.error) return [];
    return [
      {
        id: result._id ?? '',
        reason: `${result.error.type}: ${result.error.reason ?? 'no reason given'}`,
        retryable: isOutageStatus(result.status),
      },
    ];
  });
}

async function unavailableOnOutage<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isOutage(error)) {
      throw new SearchUnavailableError(`OpenSearch could not ${what}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function isOutage(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return isOutageStatus(error.statusCode);
  return (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  );
}

/** Too many requests, or the server failing: worth trying again later. */
function isOutageStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function errorType(error: unknown): unknown {
  return error instanceof errors.ResponseError ? error.body?.error?.type : undefined;
}
