import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  MinuteAggregateReader,
  MinuteAggregates,
  MinuteTotals,
  ProductMinute,
} from '../domain/minute-aggregate-reader';
import {
  minutePartitionKey,
  PRODUCT_COUNTERS,
  PRODUCT_SORT_KEY_PREFIX,
  TOTAL_COUNTERS,
  TOTALS_SORT_KEY,
} from '../domain/minute-aggregates';
import { startOfMinute } from '../domain/minute-window';
import { mapWithConcurrency } from '../../shared/concurrency';

type Item = Record<string, unknown>;

/** The attributes read: the sort key, every counter, the session buckets (not `appliedBatches`). */
const READ_ATTRIBUTES = [...new Set(['sk', ...TOTAL_COUNTERS, ...PRODUCT_COUNTERS, 'sessionBuckets'])];
const PROJECTION = {
  ProjectionExpression: READ_ATTRIBUTES.map((_, index) => `#a${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(READ_ATTRIBUTES.map((name, index) => [`#a${index}`, name])),
};

export interface DynamoDbMinuteAggregateReaderProps {
  readonly documents: DynamoDBDocumentClient;
  /** AnalyticsTable. */
  readonly tableName: string;
  /**
   * How many minutes are queried at the same time.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * The most items one Query returns before the next page is asked for.
   * @default no limit: DynamoDB's own pages of up to 1 MB
   */
  readonly pageSize?: number;
}

/**
 * Reads the minute aggregates of AnalyticsTable (minute-aggregates.ts): each minute's partition
 * queried page by page, several minutes in parallel.
 */
export class DynamoDbMinuteAggregateReader implements MinuteAggregateReader {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly concurrency: number;
  private readonly pageSize: number | undefined;

  constructor(props: DynamoDbMinuteAggregateReaderProps) {
    this.documents = props.documents;
    this.tableName = props.tableName;
    this.concurrency = props.concurrency ?? 10;
    this.pageSize = props.pageSize;
  }

  readMinutes(minutes: readonly string[]): Promise<MinuteAggregates[]> {
    return mapWithConcurrency(minutes, this.concurrency, (minute) => this.readMinute(minute));
  }

  private async readMinute(minute: string): Promise<MinuteAggregates> {
    const partitionKey = minutePartitionKey(startOfMinute(minute));
    let totals: MinuteTotals | undefined;
    const products: ProductMinute[] = [];
    let position: Item | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ProjectionExpression: PROJECTION.ProjectionExpression,
          ExpressionAttributeNames: { ...PROJECTION.ExpressionAttributeNames, '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': partitionKey },
          ExclusiveStartKey: position,
          Limit: this.pageSize,
        }),
      );
      for (const item of page.Items ?? []) {
        const sortKey = String(item.sk);
        if (sortKey === TOTALS_SORT_KEY) totals = totalsOf(item);
        else if (sortKey.startsWith(PRODUCT_SORT_KEY_PREFIX))
          products.push(productOf(sortKey.slice(PRODUCT_SORT_KEY_PREFIX.length), item));
        // Items of any other kind a later writer may add are not part of this contract.
      }
      position = page.LastEvaluatedKey;
    } while (position);
    return { minute, ...(totals && { totals }), products };
  }
}

function totalsOf(item: Item): MinuteTotals {
  const buckets = item.sessionBuckets;
  return {
    ...countersOf(item, TOTAL_COUNTERS),
    // A string set arrives as a Set; DynamoDB stores no empty set, so an absent one means none seen.
    sessionBuckets: buckets instanceof Set ? new Set([...buckets].map(String)) : new Set(),
  };
}

function productOf(productId: string, item: Item): ProductMinute {
  return { productId, ...countersOf(item, PRODUCT_COUNTERS) };
}

/** Each of `names` from `item`; a counter the writer has not created yet is 0. */
function countersOf<N extends string>(item: Item, names: readonly N[]): Record<N, number> {
  return Object.fromEntries(
    names.map((name) => {
      const value = item[name];
      return [name, typeof value === 'number' ? value : 0];
    }),
  ) as Record<N, number>;
}
