import type { MinuteActivity } from '../dashboard-figures';

/**
 * One minute of `GET /analytics/realtime`'s series, for the dashboard's tests: the figures given,
 * and zero for every other one.
 */
export function minute(at: string, figures: Partial<MinuteActivity> = {}): MinuteActivity {
  return {
    minute: at,
    pageViews: 0,
    productViews: 0,
    addToCarts: 0,
    checkouts: 0,
    purchases: 0,
    revenue: 0,
    sessions: 0,
    ...figures,
  };
}
