import type { ItemContributions } from './minute-contributions';
import type { SchemaIssue } from './read-stream-record';
import type { ShopEventType } from './shop-event';
import type { UserProductActivity } from './user-activity';

/**
 * Where the processor sends a batch, owned by the domain. Adapters implement them on Firehose,
 * Personalize Events, DynamoDB and S3.
 */

/** One line for the analytics lake, and the stream record it comes from. */
export interface LakeRecord {
  /** The stream record's sequence number: what to report when the line cannot be delivered. */
  readonly sequenceNumber: string;
  readonly line: string;
}

/** A record that did not reach its destination, and why. */
export interface RecordFailure {
  readonly sequenceNumber: string;
  readonly reason: string;
}

/** The analytics lake's ingestion (Firehose). */
export interface EventDelivery {
  /**
   * Delivers every record, retrying the ones refused for now. Resolves with the records still
   * refused; never rejects for a refused record.
   */
  deliver(records: readonly LakeRecord[]): Promise<{ readonly failed: readonly RecordFailure[] }>;
}

/** An interaction of a signed-in shopper with a product, for the recommender. */
export interface Interaction {
  readonly eventId: string;
  readonly eventType: ShopEventType;
  readonly userId: string;
  readonly sessionId: string;
  readonly itemId: string;
  readonly sentAt: Date;
}

/** The recommender's event tracker (Personalize). Best effort: a failure loses the interactions. */
export interface InteractionTracker {
  /** Sends every interaction; resolves with how many were not accepted and why. */
  track(interactions: readonly Interaction[]): Promise<{ readonly failed: number; readonly reason?: string }>;
}

/** The additions one shard's batch makes to the live aggregates. */
export interface AggregateBatch {
  readonly shardId: string;
  /** The highest sequence number of the batch (of any record, counted or not). */
  readonly lastSequenceNumber: string;
  readonly items: readonly ItemContributions[];
}

export interface AggregateResult {
  /** Records whose contributions could not be written, to be retried. */
  readonly failed: readonly RecordFailure[];
  /** The additions written to each `TOTALS` item, summed: what this batch newly counted. */
  readonly newlyCounted: Readonly<Record<string, number>>;
}

/** The per-minute live aggregates (AnalyticsTable). */
export interface LiveAggregates {
  /**
   * Adds the batch to the aggregates, counting each record of the shard at most once per item, even
   * when the batch, or part of it, is delivered again.
   */
  apply(batch: AggregateBatch): Promise<AggregateResult>;
}

/** Signed-in shoppers' recent activity with products (AnalyticsTable), the real-time `for-you` signal. */
export interface UserActivity {
  /**
   * Records each activity: the shopper and product's latest time (the maximum of the stored one and
   * this one) and the event types seen (added to those stored). Idempotent, so a replayed batch
   * changes nothing. Resolves with how many were written, and the records of those that could not
   * be; never rejects for one of them.
   */
  record(
    activities: readonly UserProductActivity[],
  ): Promise<{ readonly written: number; readonly failed: readonly RecordFailure[] }>;
}

/** A record that can never be processed: a line of the batch's quarantine object. */
export interface QuarantinedRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly reason: string;
  /** The problems zod found, for a record that is JSON but not a valid shop event. */
  readonly issues?: readonly SchemaIssue[];
  /** The record's data as received, base64. */
  readonly data: string;
}

/** The invalid records of one shard's batch. */
export interface QuarantineBatch {
  readonly shardId: string;
  /** The first quarantined record's sequence number and arrival: they name the object. */
  readonly firstSequenceNumber: string;
  readonly firstArrivedAt: Date;
  readonly records: readonly QuarantinedRecord[];
}

/** Where invalid records are kept for inspection (an S3 error prefix). */
export interface Quarantine {
  /** Stores the batch's invalid records together; rejects when they could not be stored. */
  store(batch: QuarantineBatch): Promise<void>;
}

export interface ClickstreamSinks {
  readonly delivery: EventDelivery;
  /** Absent when Personalize is not set up: no interactions are sent. */
  readonly tracker?: InteractionTracker;
  readonly aggregates: LiveAggregates;
  readonly userActivity: UserActivity;
  readonly quarantine: Quarantine;
}
