import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  ScanCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { InvalidPositionError } from '../domain/errors';
import { productSchema, type Product } from '../domain/product';
import type { ListPosition, ListProductsQuery, ProductPage, ProductStore } from '../domain/product-store';
import {
  chunks,
  DEFAULT_BATCH_RETRY_POLICY,
  retryUnprocessed,
  type BatchRetryPolicy,
} from './retry-unprocessed';

/** The products table's index of products by category, sorted by name (infra/stacks/stateful-stack.ts). */
const BY_CATEGORY_INDEX = 'byCategory';
/** DynamoDB's limits on one BatchGetItem and one BatchWriteItem request. */
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

type Key = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface DynamoDbProductStoreProps {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default DEFAULT_BATCH_RETRY_POLICY: 8 attempts, backoff from 50 ms up to 2 s */
  readonly batchRetryPolicy?: BatchRetryPolicy;
}

/** The product store on the DynamoDB products table: one item per product, keyed by `productId`. */
export class DynamoDbProductStore implements ProductStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retryPolicy: BatchRetryPolicy;

  constructor(props: DynamoDbProductStoreProps) {
    this.documents = props.documents;
    this.tableName = props.tableName;
    this.retryPolicy = props.batchRetryPolicy ?? DEFAULT_BATCH_RETRY_POLICY;
  }

  async get(productId: string): Promise<Product | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { productId } }),
    );
    return Item && this.toProduct(Item);
  }

  async getMany(productIds: readonly string[]): Promise<Product[]> {
    const uniqueIds = [...new Set(productIds)];
    const found = new Map<string, Product>();
    for (const keys of chunks<Key>(
      uniqueIds.map((productId) => ({ productId })),
      BATCH_GET_LIMIT,
    )) {
      await retryUnprocessed(
        keys,
        async (pending) => {
          const { Responses, UnprocessedKeys } = await this.documents.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [...pending] } } }),
          );
          for (const item of Responses?.[this.tableName] ?? []) {
            const product = this.toProduct(item);
            found.set(product.productId, product);
          }
          return UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        },
        this.retryPolicy,
        'product keys',
      );
    }
    return uniqueIds.flatMap((productId) => found.get(productId) ?? []);
  }

  async list({ category, limit, position }: ListProductsQuery): Promise<ProductPage> {
    const page =
      category === undefined
        ? await this.documents.send(
            new ScanCommand({
              TableName: this.tableName,
              Limit: limit,
              ExclusiveStartKey: startKey(position, scanPositionSchema),
            }),
          )
        : await this.documents.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: BY_CATEGORY_INDEX,
              KeyConditionExpression: '#category = :category',
              ExpressionAttributeNames: { '#category': 'category' },
              ExpressionAttributeValues: { ':category': category },
              Limit: limit,
              ExclusiveStartKey: startKey(position, categoryPositionSchema(category)),
            }),
          );
    return {
      products: (page.Items ?? []).map((item) => this.toProduct(item)),
      ...(page.LastEvaluatedKey && { nextPosition: page.LastEvaluatedKey }),
    };
  }

  async putAll(products: readonly Product[]): Promise<void> {
    // One request may not hold the same key twice: the last version of a product wins.
    const latest = [...new Map(products.map((product) => [product.productId, product])).values()];
    const writes = latest.map((product): WriteRequest => ({ PutRequest: { Item: { ...product } } }));
    for (const batch of chunks(writes, BATCH_WRITE_LIMIT)) {
      await retryUnprocessed(
        batch,
        async (pending) => {
          const { UnprocessedItems } = await this.documents.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: [...pending] } }),
          );
          return UnprocessedItems?.[this.tableName] ?? [];
        },
        this.retryPolicy,
        'product writes',
      );
    }
  }

  private toProduct(item: Record<string, unknown>): Product {
    const parsed = productSchema.safeParse(item);
    if (!parsed.success) {
      throw new Error(
        `Item ${JSON.stringify(item.productId)} of table ${this.tableName} is not a valid product: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }
}

/** A scan continues from a table key. */
const scanPositionSchema = z.strictObject({ productId: z.string().min(1) });

/** A query of the category index continues from an index key of the same category. */
function categoryPositionSchema(category: string) {
  return z.strictObject({ productId: z.string().min(1), category: z.literal(category), name: z.string() });
}

function startKey(position: ListPosition | undefined, schema: z.ZodType<Key>): Key | undefined {
  if (position === undefined) return undefined;
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw new InvalidPositionError();
  return parsed.data;
}
