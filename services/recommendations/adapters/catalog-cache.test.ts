import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { SAMPLE_CATALOG } from '../../catalog/data/sample-catalog';
import type { ProductStore } from '../../catalog/domain/product-store';
import { createLocalTables } from '../../testing/local-tables';
import { CATALOG_RETRY_AFTER_MS, CATALOG_TTL_MS, CatalogCache } from './catalog-cache';

let tables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
let store: DynamoDbProductStore;

beforeAll(async () => {
  tables = await createLocalTables('ProductsTable');
  store = new DynamoDbProductStore({ documents: tables.documents, tableName: tables.names.ProductsTable });
  await store.putAll(SAMPLE_CATALOG);
});

afterAll(() => tables.deleteAll());

/** The store, counting the pages read, and failing while `failing` is set. */
function countingStore() {
  const counter = { pages: 0, failing: false };
  const counted: Pick<ProductStore, 'list'> = {
    list: async (query) => {
      counter.pages += 1;
      if (counter.failing) throw new Error('DynamoDB is down');
      return store.list(query);
    },
  };
  return { counted, counter };
}

describe('CatalogCache', () => {
  it('reads the whole catalog, page by page, with the fields recommendations need', async () => {
    const snapshot = await new CatalogCache({ store }).current();

    expect(snapshot.products).toHaveLength(SAMPLE_CATALOG.length);
    const knife = SAMPLE_CATALOG.find((product) => product.productId === 'kit-0004')!;
    expect(snapshot.get('kit-0004')).toEqual({
      productId: knife.productId,
      name: knife.name,
      category: knife.category,
      price: knife.price,
      currency: knife.currency,
      stock: knife.stock,
      imagePath: knife.imagePath,
    });
    // Every product in stock has a static popularity; sold-out ones have none.
    const inStock = SAMPLE_CATALOG.filter((product) => product.stock > 0);
    expect(snapshot.popularity.size).toBe(inStock.length);
  });

  it('keeps the catalog for its time to live, then reads it again', async () => {
    let now = 0;
    const { counted, counter } = countingStore();
    const cache = new CatalogCache({ store: counted, now: () => now });

    await Promise.all([cache.current(), cache.current()]);
    const pagesOfOneRead = counter.pages;
    now = CATALOG_TTL_MS - 1;
    await cache.current();
    expect(counter.pages).toBe(pagesOfOneRead);

    now = CATALOG_TTL_MS;
    await cache.current();
    expect(counter.pages).toBe(2 * pagesOfOneRead);
  });

  it('goes on with the catalog read before when a reload fails, trying again a little later', async () => {
    let now = 0;
    const { counted, counter } = countingStore();
    const stale = jest.fn();
    const cache = new CatalogCache({ store: counted, now: () => now, onStale: stale });
    const first = await cache.current();

    counter.failing = true;
    now = CATALOG_TTL_MS;
    await expect(cache.current()).resolves.toBe(first);
    expect(stale).toHaveBeenCalledWith(new Error('DynamoDB is down'));
    const pages = counter.pages;

    now += CATALOG_RETRY_AFTER_MS - 1;
    await cache.current();
    expect(counter.pages).toBe(pages);
    now += 1;
    counter.failing = false;
    await expect(cache.current()).resolves.not.toBe(first);
  });

  it('fails when the catalog cannot be read and none was read before', async () => {
    const { counted, counter } = countingStore();
    counter.failing = true;

    await expect(new CatalogCache({ store: counted }).current()).rejects.toThrow('DynamoDB is down');
  });
});
