import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { observability } from '../../shared/powertools';
import { EmbeddedSearchIndex } from '../../search/embedded-search-index';
import { createLocalTables } from '../../testing/local-tables';
import { DynamoDbProductStore } from '../adapters/dynamodb-product-store';
import { SAMPLE_CATALOG } from '../data/sample-catalog';
import type { ProductIndex } from '../domain/load-catalog';
import { createSeedCatalogHandler, SAMPLE_CATALOG_RESOURCE_ID } from './seed-catalog';

let tables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
let store: DynamoDbProductStore;

beforeEach(async () => {
  tables = await createLocalTables('ProductsTable');
  store = new DynamoDbProductStore({ documents: tables.documents, tableName: tables.names.ProductsTable });
});

afterEach(() => tables.deleteAll());

function seedHandler(search: ProductIndex) {
  return createSeedCatalogHandler({ store, search, logger: observability().logger });
}

/** A custom resource event as the CDK Provider framework passes it to `onEvent`. */
function customResourceEvent(requestType: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent',
    ResponseURL: 'https://cloudformation-custom-resource-response.example.com/',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev-Stateful/1234',
    RequestId: 'request-1',
    LogicalResourceId: 'SampleCatalog',
    ResourceType: 'Custom::SampleCatalog',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider' },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Update')
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: SAMPLE_CATALOG_RESOURCE_ID,
      OldResourceProperties: common.ResourceProperties,
    };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: SAMPLE_CATALOG_RESOURCE_ID };
}

async function itemsInTable(): Promise<number> {
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

/** How many products of each category the index finds, searching for the category's name in it. */
async function indexedByCategory(search: EmbeddedSearchIndex): Promise<Record<string, number>> {
  const categories = [...new Set(SAMPLE_CATALOG.map((product) => product.category))];
  const counts = await Promise.all(
    categories.map(async (category) => {
      const { total } = await search.searchProducts({ text: category, category, limit: 1 });
      return [category, total] as const;
    }),
  );
  return Object.fromEntries(counts);
}

function catalogCountsByCategory(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { category } of SAMPLE_CATALOG) counts[category] = (counts[category] ?? 0) + 1;
  return counts;
}

describe('the sample catalog custom resource', () => {
  it('loads every sample product into the table and the search index on Create', async () => {
    const search = new EmbeddedSearchIndex();
    const response = await seedHandler(search)(customResourceEvent('Create'));
    expect(SAMPLE_CATALOG.length).toBeGreaterThanOrEqual(120);
    expect(response).toEqual({
      PhysicalResourceId: 'sample-catalog',
      Data: { productCount: SAMPLE_CATALOG.length },
    });
    expect(await itemsInTable()).toBe(SAMPLE_CATALOG.length);
    expect(await indexedByCategory(search)).toEqual(catalogCountsByCategory());
    expect(await store.get('toy-0003')).toEqual(SAMPLE_CATALOG.find((p) => p.productId === 'toy-0003'));
  });

  it('loads the same products again on Update, under the same resource id', async () => {
    const search = new EmbeddedSearchIndex();
    const handler = seedHandler(search);
    await handler(customResourceEvent('Create'));
    const response = await handler(customResourceEvent('Update'));
    expect(response.PhysicalResourceId).toBe(SAMPLE_CATALOG_RESOURCE_ID);
    expect(await itemsInTable()).toBe(SAMPLE_CATALOG.length);
    expect(await indexedByCategory(search)).toEqual(catalogCountsByCategory());
  });

  it('leaves the products in the table and the index on Delete', async () => {
    const search = new EmbeddedSearchIndex();
    const handler = seedHandler(search);
    await handler(customResourceEvent('Create'));
    const response = await handler(customResourceEvent('Delete'));
    expect(response).toEqual({ PhysicalResourceId: SAMPLE_CATALOG_RESOURCE_ID });
    expect(await itemsInTable()).toBe(SAMPLE_CATALOG.length);
    expect(await indexedByCategory(search)).toEqual(catalogCountsByCategory());
  });

  it('writes nothing on Delete', async () => {
    await seedHandler(new EmbeddedSearchIndex())(customResourceEvent('Delete'));
    expect(await itemsInTable()).toBe(0);
  });

  it('fails the deployment, naming the products the search index refused', async () => {
    const refusing: ProductIndex = {
      indexProducts: async (products) => ({
        failed: products
          .filter((product) => product.productId.startsWith('aud-000'))
          .slice(0, 2)
          .map((product) => ({
            id: product.productId,
            reason: 'mapper_parsing_exception',
            retryable: false,
          })),
      }),
    };
    await expect(seedHandler(refusing)(customResourceEvent('Create'))).rejects.toThrow(
      'The search index refused 2 product(s): aud-0001 (mapper_parsing_exception), aud-0002 (mapper_parsing_exception)',
    );
  });
});
