import { conversionFunnel, type ConversionFunnel } from './conversion-funnel';
import type { MinuteAggregates } from './minute-aggregate-reader';
import { estimateDistinctSessions } from './minute-aggregates';
import { topProducts, type ProductActivity } from './top-products';

/** One minute of the dashboard's series. */
export interface MinuteActivity {
  /** `2026-11-25T20:34`, UTC. */
  readonly minute: string;
  readonly pageViews: number;
  readonly productViews: number;
  readonly addToCarts: number;
  readonly checkouts: number;
  readonly purchases: number;
  /** Minor units (cents), as the aggregates keep it. */
  readonly revenue: number;
  /** Distinct sessions, estimated from the session buckets seen (see minute-aggregates.ts). */
  readonly sessions: number;
}

/** The body of `GET /analytics/realtime`. */
export interface RealtimeDashboard {
  /** One entry per minute of the window, oldest first; a minute with no aggregates is all zeros. */
  readonly series: MinuteActivity[];
  readonly topProducts: ProductActivity[];
  readonly funnel: ConversionFunnel;
}

/**
 * The live dashboard of a window of minutes (oldest first, the current, incomplete minute
 * included) from the aggregates stored for them. Aggregates of minutes outside the window are
 * left out.
 */
export function buildRealtimeDashboard(
  window: readonly string[],
  aggregates: readonly MinuteAggregates[],
): RealtimeDashboard {
  const byMinute = new Map(aggregates.map((aggregate) => [aggregate.minute, aggregate]));
  const inWindow = window.map((minute) => byMinute.get(minute) ?? { minute, products: [] });
  const series = inWindow.map(minuteActivity);
  return {
    series,
    topProducts: topProducts(inWindow.flatMap((aggregate) => aggregate.products)),
    funnel: conversionFunnel(series),
  };
}

function minuteActivity({ minute, totals }: MinuteAggregates): MinuteActivity {
  return {
    minute,
    pageViews: totals?.pageViews ?? 0,
    productViews: totals?.productViews ?? 0,
    addToCarts: totals?.addToCarts ?? 0,
    checkouts: totals?.checkouts ?? 0,
    purchases: totals?.purchases ?? 0,
    revenue: totals?.revenue ?? 0,
    sessions: estimateDistinctSessions(totals?.sessionBuckets.size ?? 0),
  };
}
