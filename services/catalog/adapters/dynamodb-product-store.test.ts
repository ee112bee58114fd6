import {
  BatchGetCommand,
  BatchWriteCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { createLocalTables } from '../../testing/local-tables';
import { SAMPLE_CATALOG } from '../data/sample-catalog';
import { InvalidPositionError } from '../domain/errors';
import type { Product } from '../domain/product';
import type { ListPosition } from '../domain/product-store';
import { DynamoDbProductStore } from './dynamodb-product-store';
import type { BatchRetryPolicy } from './retry-unprocessed';

const QUICK_RETRIES: BatchRetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

let tables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
let store: DynamoDbProductStore;

beforeAll(async () => {
  tables = await createLocalTables('ProductsTable');
  store = storeOn(tables.documents);
  await store.putAll(SAMPLE_CATALOG);
});

afterAll(() => tables.deleteAll());

afterEach(() => jest.restoreAllMocks());

function storeOn(documents: DynamoDBDocumentClient) {
  return new DynamoDbProductStore({
    documents,
    tableName: tables.names.ProductsTable,
    batchRetryPolicy: QUICK_RETRIES,
  });
}

async function itemCount(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tables.documents.send(
      new ScanCommand({ TableName: tables.names.ProductsTable, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Every page of a listing, following positions until there is none. */
async function allPages(category: string | undefined, limit: number): Promise<Product[][]> {
  const pages: Product[][] = [];
  let position: ListPosition | undefined;
  do {
    const page = await store.list({ category, limit, position });
    pages.push(page.products);
    position = page.nextPosition;
  } while (position);
  return pages;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('DynamoDbProductStore', () => {
  it('stores the whole sample catalog, one item per product', async () => {
    expect(await itemCount()).toBe(SAMPLE_CATALOG.length);
  });

  it('reads a product by id, exactly as it was written', async () => {
    const product = SAMPLE_CATALOG[42]!;
    expect(await store.get(product.productId)).toEqual(product);
  });

  it('answers an unknown product id with undefined', async () => {
    expect(await store.get('kit-9999')).toBeUndefined();
  });

  it('reads more than 100 products at once, in the order asked, leaving out unknown ids', async () => {
    const wanted = [...SAMPLE_CATALOG].reverse();
    const ids = [
      'nope-0001',
      ...wanted.map((product) => product.productId),
      'kit-9999',
      wanted[0]!.productId,
    ];
    expect(await store.getMany(ids)).toEqual(wanted);
  });

  it('reads no products for no ids', async () => {
    expect(await store.getMany([])).toEqual([]);
  });

  it('lists a category sorted by name, page after page, with no duplicates or gaps', async () => {
    const expectedNames = SAMPLE_CATALOG.filter((product) => product.category === 'kitchen')
      .map((product) => product.name)
      .sort(byName);
    const pages = await allPages('kitchen', 4);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((page) => page.length <= 4)).toBe(true);
    expect(pages.flat().map((product) => product.name)).toEqual(expectedNames);
    expect(pages.flat().every((product) => product.category === 'kitchen')).toBe(true);
  });

  it('lists an unknown category as one empty page', async () => {
    expect(await store.list({ category: 'spaceships', limit: 10 })).toEqual({ products: [] });
  });

  it('lists every product across pages when no category is given, each once', async () => {
    const pages = await allPages(undefined, 40);
    const ids = pages.flat().map((product) => product.productId);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(ids).toHaveLength(SAMPLE_CATALOG.length);
    expect(new Set(ids)).toEqual(new Set(SAMPLE_CATALOG.map((product) => product.productId)));
  });

  it('refuses to continue a category listing from a position issued for another category', async () => {
    const { nextPosition } = await store.list({ category: 'books', limit: 2 });
    await expect(store.list({ category: 'toys', limit: 2, position: nextPosition })).rejects.toThrow(
      InvalidPositionError,
    );
  });

  it('refuses to continue a listing from a position of the other kind of listing', async () => {
    const scanPosition = (await store.list({ limit: 2 })).nextPosition;
    const categoryPosition = (await store.list({ category: 'books', limit: 2 })).nextPosition;
    await expect(store.list({ category: 'books', limit: 2, position: scanPosition })).rejects.toThrow(
      InvalidPositionError,
    );
    await expect(store.list({ limit: 2, position: categoryPosition })).rejects.toThrow(InvalidPositionError);
  });

  it('asks DynamoDB again for the keys it left unprocessed', async () => {
    const send = leaveHalfUnprocessedOnce(tables.documents, BatchGetCommand);
    const wanted = SAMPLE_CATALOG.slice(0, 10);
    expect(await store.getMany(wanted.map((product) => product.productId))).toEqual(wanted);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('gives up on keys that stay unprocessed, saying how many', async () => {
    leaveEverythingUnprocessed(tables.documents);
    await expect(store.getMany(['kit-0001', 'kit-0002', 'kit-0003'])).rejects.toThrow(
      'DynamoDB left 3 of 3 product keys unprocessed after 3 attempts',
    );
  });
});

describe('DynamoDbProductStore.putAll', () => {
  let writeTables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
  let writer: DynamoDbProductStore;

  beforeEach(async () => {
    writeTables = await createLocalTables('ProductsTable');
    writer = new DynamoDbProductStore({
      documents: writeTables.documents,
      tableName: writeTables.names.ProductsTable,
      batchRetryPolicy: QUICK_RETRIES,
    });
  });

  afterEach(() => writeTables.deleteAll());

  const everything = () => writer.getMany(SAMPLE_CATALOG.map((product) => product.productId));

  it('replaces products written again under the same id, keeping one item each', async () => {
    await writer.putAll(SAMPLE_CATALOG);
    const restocked = SAMPLE_CATALOG.map((product) => ({ ...product, stock: product.stock + 5 }));
    await writer.putAll(restocked);
    expect(await everything()).toEqual(restocked);
  });

  it('keeps the last version of a product listed twice in one call', async () => {
    const product = SAMPLE_CATALOG[0]!;
    await writer.putAll([product, { ...product, stock: 999 }]);
    expect(await writer.get(product.productId)).toEqual({ ...product, stock: 999 });
  });

  it('writes again the items DynamoDB left unprocessed', async () => {
    const send = leaveHalfUnprocessedOnce(writeTables.documents, BatchWriteCommand);
    const products = SAMPLE_CATALOG.slice(0, 20);
    await writer.putAll(products);
    expect(send).toHaveBeenCalledTimes(2);
    expect(await writer.getMany(products.map((product) => product.productId))).toEqual(products);
  });

  it('gives up on writes that stay unprocessed, saying how many', async () => {
    leaveEverythingUnprocessed(writeTables.documents);
    await expect(writer.putAll(SAMPLE_CATALOG.slice(0, 5))).rejects.toThrow(
      'DynamoDB left 5 of 5 product writes unprocessed after 3 attempts',
    );
  });
});

type BatchCommand = typeof BatchGetCommand | typeof BatchWriteCommand;

/**
 * Throttling as DynamoDB does it: the first batch request of `kind` processes only the first half
 * of its keys or writes on DynamoDB Local and reports the rest unprocessed.
 */
function leaveHalfUnprocessedOnce(documents: DynamoDBDocumentClient, kind: BatchCommand) {
  const send = documents.send.bind(documents) as (command: any) => Promise<any>;
  let throttled = false;
  return jest.spyOn(documents, 'send').mockImplementation((async (command: any) => {
    if (throttled || !(command instanceof kind)) return send(command);
    throttled = true;
    const [table, request] = Object.entries<any>(command.input.RequestItems ?? {})[0]!;
    const requests: unknown[] = kind === BatchGetCommand ? request.Keys : request;
    const half = Math.ceil(requests.length / 2);
    const part = (slice: unknown[]) => ({ [table]: kind === BatchGetCommand ? { Keys: slice } : slice });
    const output = await send(new kind({ RequestItems: part(requests.slice(0, half)) } as any));
    return kind === BatchGetCommand
      ? { ...output, UnprocessedKeys: part(requests.slice(half)) }
      : { ...output, UnprocessedItems: part(requests.slice(half)) };
  }) as any);
}

/** A table so throttled that no batch request gets anything done. */
function leaveEverythingUnprocessed(documents: DynamoDBDocumentClient) {
  return jest.spyOn(documents, 'send').mockImplementation((async (command: any) => {
    if (command instanceof BatchGetCommand)
      return { Responses: {}, UnprocessedKeys: command.input.RequestItems };
    if (command instanceof BatchWriteCommand) return { UnprocessedItems: command.input.RequestItems };
    throw new Error(`unexpected ${command.constructor.name}`);
  }) as any);
}
