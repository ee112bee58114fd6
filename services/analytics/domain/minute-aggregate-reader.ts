import type { ProductCounter, TotalCounter } from './minute-aggregates';

/** A minute's `TOTALS` item: every counter (0 when the writer left it out) and the session buckets seen. */
export interface MinuteTotals extends Readonly<Record<TotalCounter, number>> {
  readonly sessionBuckets: ReadonlySet<string>;
}

/** A minute's `PRODUCT#<productId>` item: that product's counters (0 when left out). */
export interface ProductMinute extends Readonly<Record<ProductCounter, number>> {
  readonly productId: string;
}

/** What is stored for one UTC minute (`2026-11-25T20:34`, the contract's `minuteOf`). */
export interface MinuteAggregates {
  readonly minute: string;
  /** None when the minute has no `TOTALS` item. */
  readonly totals?: MinuteTotals;
  readonly products: readonly ProductMinute[];
}

/** Where the live clickstream aggregates are read from (AnalyticsTable, see minute-aggregates.ts). */
export interface MinuteAggregateReader {
  /**
   * The aggregates of each of `minutes`: one entry per minute asked for, in the order asked; a
   * minute with nothing stored comes back with no totals and no products.
   */
  readMinutes(minutes: readonly string[]): Promise<MinuteAggregates[]>;
}
