import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userActivityExpiry, userActivityKey } from '../../recommendations/signals/domain/user-activity';
import { settleWithConcurrency } from '../../shared/concurrency';
import type { RecordFailure, UserActivity } from '../domain/ports';
import type { UserProductActivity } from '../domain/user-activity';

export interface DynamoDbUserActivityOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * UpdateItem calls in flight at once. Each item is its own (no two calls of a batch touch the
   * same one), so they never contend.
   * @default 32
   */
  readonly concurrency?: number;
}

/**
 * Shoppers' recent activity in AnalyticsTable (layout in
 * services/recommendations/signals/domain/user-activity.ts), one UpdateItem per shopper and
 * product per batch, with no read:
 *
 *   SET lastSeenAt = :at, expiresAt = :at + 30 days  ADD eventTypes :types
 *   IF attribute_not_exists(lastSeenAt) OR lastSeenAt <= :at
 *
 * When the item already holds a later time (records of the shopper's other sessions come on other
 * shards, and a shard can run behind), the condition fails; the stored item comes back with the
 * failure, and a second UpdateItem adds the event types it does not hold yet, if any. Both are idempotent (the larger time wins; adding to a set twice adds once), so a
 * batch delivered again, or two invocations writing the same item, leave it as one write would.
 */
export class DynamoDbUserActivity implements UserActivity {
  private readonly concurrency: number;

  constructor(private readonly options: DynamoDbUserActivityOptions) {
    this.concurrency = options.concurrency ?? 32;
  }

  async record(
    activities: readonly UserProductActivity[],
  ): Promise<{ written: number; failed: RecordFailure[] }> {
    const settled = await settleWithConcurrency(activities, this.concurrency, (activity) =>
      this.write(activity),
    );
    const failed: RecordFailure[] = [];
    let written = 0;
    settled.forEach((result, index) => {
      const activity = activities[index];
      if (result.status === 'fulfilled') written += 1;
      if (result.status === 'fulfilled' || !activity) return;
      const error = result.reason as Error;
      const reason = `the activity of user ${activity.userId} with ${activity.productId} could not be written: ${error.name}: ${error.message}`;
      for (const sequenceNumber of activity.sequenceNumbers) failed.push({ sequenceNumber, reason });
    });
    return { written, failed };
  }

  private async write(activity: UserProductActivity): Promise<void> {
    const { documents, tableName } = this.options;
    const key = userActivityKey(activity.userId, activity.productId);
    const values = {
      ':at': activity.lastSeenAt,
      ':expiresAt': userActivityExpiry(activity.lastSeenAt),
      ':types': new Set(activity.eventTypes),
    };
    try {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET lastSeenAt = :at, expiresAt = :expiresAt ADD eventTypes :types',
          ConditionExpression: 'attribute_not_exists(lastSeenAt) OR lastSeenAt <= :at',
          ExpressionAttributeValues: values,
          // When the condition fails, the stored item comes back with the error, at no extra cost.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // A later time is stored: keep it. Only event types it does not hold yet need a second write.
      const stored = error.Item?.eventTypes?.SS ?? [];
      if (activity.eventTypes.every((type) => stored.includes(type))) return;
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          // if_not_exists: should TTL have deleted the item in between, it is written whole again.
          UpdateExpression:
            'SET lastSeenAt = if_not_exists(lastSeenAt, :at), expiresAt = if_not_exists(expiresAt, :expiresAt) ' +
            'ADD eventTypes :types',
          ExpressionAttributeValues: values,
        }),
      );
    }
  }
}
