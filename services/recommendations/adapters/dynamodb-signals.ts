import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MinuteAggregateReader } from '../../analytics/domain/minute-aggregate-reader';
import { minutesEndingAt } from '../../analytics/domain/minute-window';
import type { OrderStore } from '../../orders/domain/ports';
import type { RecentActivity } from '../domain/for-you';
import type { PurchaseHistory, RealtimeSignals } from '../domain/ports';
import { livePopularity } from '../domain/realtime-rankers';
import { CO_PURCHASE_SORT_PREFIX, coPurchasePartitionKey } from '../signals/domain/co-purchases';
import { USER_ACTIVITY_PARTITION_PREFIX, USER_ACTIVITY_SORT_PREFIX } from '../signals/domain/user-activity';

/** The window of live popularity: the last hour, minute by minute. */
export const POPULARITY_WINDOW_MINUTES = 60;
/** How many minutes of the window are read at the same time. */
export const POPULARITY_READ_CONCURRENCY = 20;
/** How long live popularity is reused before the minutes are read again. */
export const POPULARITY_TTL_MS = 30_000;
/** Most co-purchase items, recent-activity items and orders read for one request. */
export const MAX_CO_PURCHASES = 500;
export const MAX_RECENT_PRODUCTS = 200;
export const MAX_ORDERS = 200;
/** Orders per page of the `byCustomer` index. */
const ORDER_PAGE_SIZE = 100;

type Item = Record<string, unknown>;

export interface DynamoDbRealtimeSignalsProps {
  readonly documents: DynamoDBDocumentClient;
  /**
   * AnalyticsTable: co-purchase counts and shoppers' recent activity, as `signals/domain/co-purchases.ts`
   * and `signals/domain/user-activity.ts` lay them out.
   */
  readonly analyticsTableName: string;
  /** The live minute aggregates of AnalyticsTable (analytics' DynamoDbMinuteAggregateReader). */
  readonly minutes: MinuteAggregateReader;
  /** The orders (orders' DynamoDbOrderStore on OrdersTable). */
  readonly orders: Pick<OrderStore, 'listByCustomer'>;
  /** @default POPULARITY_TTL_MS */
  readonly popularityTtlMs?: number;
  /** @default the system clock */
  readonly now?: () => Date;
}

/**
 * The platform's live data, as recommendations read it: popularity from the last hour's minute
 * aggregates (read for every minute, then reused for `popularityTtlMs`, shared by every request of
 * this instance), co-purchases and recent activity from AnalyticsTable, purchases from the orders.
 */
export class DynamoDbRealtimeSignals implements RealtimeSignals {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly minutes: MinuteAggregateReader;
  private readonly orders: Pick<OrderStore, 'listByCustomer'>;
  private readonly popularityTtlMs: number;
  private readonly now: () => Date;
  private popular: { readonly value: Promise<Map<string, number>>; readonly until: number } | undefined;

  constructor(props: DynamoDbRealtimeSignalsProps) {
    this.documents = props.documents;
    this.tableName = props.analyticsTableName;
    this.minutes = props.minutes;
    this.orders = props.orders;
    this.popularityTtlMs = props.popularityTtlMs ?? POPULARITY_TTL_MS;
    this.now = props.now ?? (() => new Date());
  }

  /**
   * Not aborted with the request: the minutes read on are kept for the next requests. A failed
   * read is not kept.
   */
  popularity(): Promise<ReadonlyMap<string, number>> {
    const now = this.now();
    if (this.popular && now.getTime() < this.popular.until) return this.popular.value;
    const value = this.minutes
      .readMinutes(minutesEndingAt(now, POPULARITY_WINDOW_MINUTES))
      .then((minutes) => livePopularity(minutes.flatMap((minute) => minute.products)));
    const entry = { value, until: now.getTime() + this.popularityTtlMs };
    this.popular = entry;
    value.catch(() => {
      if (this.popular === entry) this.popular = undefined;
    });
    return value;
  }

  async coPurchases(productId: string, signal: AbortSignal): Promise<ReadonlyMap<string, number>> {
    const items = await this.queryPartition(
      coPurchasePartitionKey(productId),
      CO_PURCHASE_SORT_PREFIX,
      MAX_CO_PURCHASES,
      signal,
    );
    const counts = new Map<string, number>();
    for (const item of items) {
      const otherId = String(item.sk).slice(CO_PURCHASE_SORT_PREFIX.length);
      if (typeof item.count === 'number' && item.count > 0 && otherId !== '') counts.set(otherId, item.count);
    }
    return counts;
  }

  /** Items DynamoDB's TTL has not deleted yet (it deletes within days, not at once) are left out. */
  async recentActivity(userId: string, signal: AbortSignal): Promise<readonly RecentActivity[]> {
    const items = await this.queryPartition(
      `${USER_ACTIVITY_PARTITION_PREFIX}${userId}`,
      USER_ACTIVITY_SORT_PREFIX,
      MAX_RECENT_PRODUCTS,
      signal,
    );
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    return items.flatMap((item) => {
      const productId = String(item.sk).slice(USER_ACTIVITY_SORT_PREFIX.length);
      const expired = typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds;
      if (expired || typeof item.lastSeenAt !== 'number' || productId === '') return [];
      return [{ productId, at: item.lastSeenAt }];
    });
  }

  /** From the shopper's latest `MAX_ORDERS` orders. */
  async purchaseHistory(userId: string): Promise<PurchaseHistory> {
    const lastOrdered = new Map<string, number>();
    let position: Record<string, unknown> | undefined;
    let read = 0;
    do {
      const page = await this.orders.listByCustomer(userId, {
        limit: Math.min(ORDER_PAGE_SIZE, MAX_ORDERS - read),
        ...(position && { position }),
      });
      read += page.orders.length;
      for (const order of page.orders) {
        const createdAt = Math.floor(Date.parse(order.createdAt) / 1000);
        const at = Number.isFinite(createdAt) ? createdAt : 0;
        for (const { productId } of order.items) {
          const previous = lastOrdered.get(productId);
          if (previous === undefined || at > previous) lastOrdered.set(productId, at);
        }
      }
      position = page.nextPosition;
    } while (position && read < MAX_ORDERS);
    return {
      purchased: new Set(lastOrdered.keys()),
      recent: [...lastOrdered].map(([productId, at]) => ({ productId, at })),
    };
  }

  /** The items of one partition whose sort key starts with `prefix`, at most `max` of them. */
  private async queryPartition(
    partitionKey: string,
    prefix: string,
    max: number,
    signal: AbortSignal,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let position: Item | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': partitionKey, ':prefix': prefix },
          Limit: max - items.length,
          ExclusiveStartKey: position,
        }),
        { abortSignal: signal },
      );
      items.push(...(page.Items ?? []));
      position = page.LastEvaluatedKey;
    } while (position && items.length < max);
    return items;
  }
}
