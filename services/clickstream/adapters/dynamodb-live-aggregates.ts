import {
  BatchGetCommand,
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TOTALS_SORT_KEY, comparableSequenceNumber } from '../../analytics/domain/minute-aggregates';
import {
  chunks,
  DEFAULT_BATCH_RETRY_POLICY,
  retryUnprocessed,
} from '../../catalog/adapters/retry-unprocessed';
import {
  pendingAddition,
  type Counters,
  type ItemContributions,
  type PendingAddition,
} from '../domain/minute-contributions';
import type { AggregateBatch, AggregateResult, LiveAggregates, RecordFailure } from '../domain/ports';
import { settleWithConcurrency } from '../../shared/concurrency';

export interface DynamoDbLiveAggregatesOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * UpdateItem calls in flight at once.
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * Writes of one item per batch, the first included, when another writer keeps changing what the
   * item counts between the read and the write.
   * @default 4
   */
  readonly maxWriteAttempts?: number;
}

/** What an item counts of one shard: whether it has its `appliedBatches` map, and the shard's entry. */
interface Applied {
  readonly hasMap: boolean;
  /** The zero-padded sequence number up to which the item counts the shard's records. */
  readonly position?: string;
}

const NOTHING_APPLIED: Applied = { hasMap: false };
const BATCH_GET_LIMIT = 100;

/**
 * The per-minute live aggregates in AnalyticsTable, written so that no record is counted twice.
 *
 * Each item keeps, per shard, the sequence number up to which it counts that shard's records
 * (`appliedBatches`, see services/analytics/domain/minute-aggregates.ts). A batch is applied in one
 * read and one write per item:
 * 1. read every item the batch touches (BatchGetItem, strongly consistent);
 * 2. for each item, add up the contributions of the records after the item's position only, and
 *    write them with one UpdateItem: ADD the counters and session buckets, SET the position to the
 *    batch's last sequence number and the TTL, on the condition that the position is still the one
 *    read (optimistic locking);
 * 3. when the condition fails (another invocation wrote the item in between), read the item again
 *    and recompute, a bounded number of times.
 *
 * Why this is replay safe: Lambda delivers a shard's records in order, one batch at a time, and
 * after a partial failure starts again at the lowest failed record. Any record at or before an
 * item's position was in a batch whose write to that item succeeded, so it is counted there
 * already; any record after it was not. A replayed batch, or a replay of its second half with
 * newer records, adds exactly the records the item does not count yet. The condition makes the
 * read-then-add atomic. The batch's last sequence number (not the last record counted in the
 * item) is stored, so that a repeated event id skipped in one delivery is not counted when a
 * later delivery starts after its first occurrence.
 *
 * This relies on one batch per shard at a time: an event source mapping with a parallelization
 * factor above 1 would interleave sequence numbers across concurrent batches.
 */
export class DynamoDbLiveAggregates implements LiveAggregates {
  private readonly concurrency: number;
  private readonly maxWriteAttempts: number;

  constructor(private readonly options: DynamoDbLiveAggregatesOptions) {
    this.concurrency = options.concurrency ?? 16;
    this.maxWriteAttempts = options.maxWriteAttempts ?? 4;
  }

  async apply(batch: AggregateBatch): Promise<AggregateResult> {
    const applied = await this.readApplied(batch.items, batch.shardId);
    const settled = await settleWithConcurrency(batch.items, this.concurrency, (item) =>
      this.applyItem(item, applied.get(itemId(item)) ?? NOTHING_APPLIED, batch),
    );

    const failed = new Map<string, RecordFailure>();
    const newlyCounted: Record<string, number> = {};
    settled.forEach((result, index) => {
      const item = batch.items[index];
      if (!item) return;
      if (result.status === 'rejected') {
        const error = result.reason as Error;
        const reason = `the aggregate ${item.pk} ${item.sk} could not be written: ${error.name}: ${error.message}`;
        for (const { sequenceNumber } of item.contributions)
          failed.set(sequenceNumber, { sequenceNumber, reason });
      } else if (item.sk === TOTALS_SORT_KEY) {
        for (const [name, value] of Object.entries(result.value))
          newlyCounted[name] = (newlyCounted[name] ?? 0) + value;
      }
    });
    return { failed: [...failed.values()], newlyCounted };
  }

  /** Adds what the item does not count yet; resolves with the counters added. */
  private async applyItem(item: ItemContributions, read: Applied, batch: AggregateBatch): Promise<Counters> {
    let applied = read;
    for (let attempt = 1; ; attempt++) {
      const addition = pendingAddition(item, applied.position);
      if (addition.sequenceNumbers.length === 0) return {};
      try {
        await this.options.documents.send(new UpdateCommand(this.update(item, addition, applied, batch)));
        return addition.counters;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException' || attempt >= this.maxWriteAttempts) {
          throw error;
        }
        applied = await this.readOne(item, batch.shardId);
      }
    }
  }

  private update(
    item: ItemContributions,
    addition: PendingAddition,
    applied: Applied,
    batch: AggregateBatch,
  ) {
    const names: Record<string, string> = { '#applied': 'appliedBatches', '#expiresAt': 'expiresAt' };
    const values: Record<string, unknown> = { ':expiresAt': item.expiresAt };
    const additions: string[] = [];
    Object.entries(addition.counters).forEach(([name, value], index) => {
      names[`#c${index}`] = name;
      values[`:c${index}`] = value;
      additions.push(`#c${index} :c${index}`);
    });
    if (addition.sessionBuckets.length > 0) {
      names['#sessionBuckets'] = 'sessionBuckets';
      values[':sessionBuckets'] = new Set(addition.sessionBuckets);
      additions.push('#sessionBuckets :sessionBuckets');
    }

    const position = comparableSequenceNumber(batch.lastSequenceNumber);
    let setPosition: string;
    let condition: string;
    if (!applied.hasMap) {
      setPosition = '#applied = :appliedBatches';
      values[':appliedBatches'] = { [batch.shardId]: position };
      condition = 'attribute_not_exists(#applied)';
    } else {
      names['#shard'] = batch.shardId;
      values[':position'] = position;
      setPosition = '#applied.#shard = :position';
      if (applied.position === undefined) {
        condition = 'attribute_exists(#applied) AND attribute_not_exists(#applied.#shard)';
      } else {
        values[':read'] = applied.position;
        condition = '#applied.#shard = :read';
      }
    }

    return {
      TableName: this.options.tableName,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `SET #expiresAt = :expiresAt, ${setPosition} ADD ${additions.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** What each item counts of the shard, by item id; items that do not exist yet are left out. */
  private async readApplied(
    items: readonly ItemContributions[],
    shardId: string,
  ): Promise<Map<string, Applied>> {
    const applied = new Map<string, Applied>();
    const { tableName, documents } = this.options;
    for (const keys of chunks(
      items.map(({ pk, sk }) => ({ pk, sk })),
      BATCH_GET_LIMIT,
    )) {
      await retryUnprocessed(
        keys,
        async (pending) => {
          const response = await documents.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: [...pending],
                  ConsistentRead: true,
                  ProjectionExpression: 'pk, sk, appliedBatches',
                },
              },
            }),
          );
          for (const stored of response.Responses?.[tableName] ?? []) {
            applied.set(itemId(stored as ItemKey), appliedOf(stored, shardId));
          }
          return (response.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
        },
        DEFAULT_BATCH_RETRY_POLICY,
        'aggregate reads',
      );
    }
    return applied;
  }

  private async readOne(item: ItemContributions, shardId: string): Promise<Applied> {
    const { Item } = await this.options.documents.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { pk: item.pk, sk: item.sk },
        ConsistentRead: true,
        ProjectionExpression: 'appliedBatches',
      }),
    );
    return Item ? appliedOf(Item, shardId) : NOTHING_APPLIED;
  }
}

interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

function itemId({ pk, sk }: ItemKey): string {
  return `${pk}|${sk}`;
}

function appliedOf(item: Record<string, unknown>, shardId: string): Applied {
  const map = item.appliedBatches as Record<string, unknown> | undefined;
  if (map === undefined) return NOTHING_APPLIED;
  const position = map[shardId];
  return typeof position === 'string' ? { hasMap: true, position } : { hasMap: true };
}
