import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  coPurchasePartitionKey,
  coPurchaseSortKey,
  countedMarkerExpiry,
  countedMarkerKey,
  type OrderCoPurchases,
} from '../domain/co-purchases';
import type { AddOutcome, CoPurchaseCounts } from '../domain/ports';

export interface DynamoDbCoPurchaseCountsOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * Transactions per order, the first included, when another transaction is writing one of the
   * same counters at the same moment (`TransactionConflict`).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Longest wait before the first retry of a conflicting transaction, in milliseconds; it doubles
   * with each further retry (full jitter).
   * @default 25
   */
  readonly baseDelayMs?: number;
}

/** The index of the marker in an order's transaction: the first item. */
const MARKER = 0;

/**
 * Co-purchase counts in AnalyticsTable (layout in ../domain/co-purchases.ts), one TransactWriteItems
 * per order: Put the order's marker on the condition that it does not exist, and ADD 1 to the count
 * of each of its pairs. Either all of it is written or none of it. An order delivered again (a
 * retried batch, or a retry that starts before it) fails the marker's condition and writes
 * nothing, which is how a replay never counts twice.
 *
 * Two orders with a pair in common touch the same counter; DynamoDB cancels a transaction that
 * meets another one on an item (`TransactionConflict`), so such transactions are sent again, a
 * bounded number of times, after a short jittered wait.
 */
export class DynamoDbCoPurchaseCounts implements CoPurchaseCounts {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  constructor(private readonly options: DynamoDbCoPurchaseCountsOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 25;
  }

  async add(order: OrderCoPurchases, countedAt: Date): Promise<AddOutcome> {
    if (order.pairs.length === 0) return 'counted';
    const command = this.transaction(order, countedAt);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.documents.send(command);
        return 'counted';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[MARKER]?.Code === 'ConditionalCheckFailed') return 'already-counted';
        const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflict || attempt >= this.maxAttempts) throw error;
        await sleep(Math.random() * this.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private transaction(order: OrderCoPurchases, countedAt: Date): TransactWriteCommand {
    const { tableName } = this.options;
    const countedAtSeconds = Math.floor(countedAt.getTime() / 1000);
    return new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...countedMarkerKey(order.orderId),
              orderId: order.orderId,
              products: order.products.length,
              pairs: order.pairs.length,
              countedAt: countedAtSeconds,
              expiresAt: countedMarkerExpiry(countedAtSeconds),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...order.pairs.map(({ productId, otherProductId }) => ({
          Update: {
            TableName: tableName,
            Key: { pk: coPurchasePartitionKey(productId), sk: coPurchaseSortKey(otherProductId) },
            // COUNT is a reserved word.
            UpdateExpression: 'ADD #count :one',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        })),
      ],
    });
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
