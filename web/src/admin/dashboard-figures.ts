import type uPlot from 'uplot';
import type { RealtimeDashboard } from '../api/shop-api';

/** One minute of `GET /analytics/realtime`'s series. */
export type MinuteActivity = RealtimeDashboard['series'][number];
/** A product of `GET /analytics/realtime`'s top products. */
export type ProductActivity = RealtimeDashboard['topProducts'][number];
/** A per-minute figure the charts can draw. */
export type MinuteField = Exclude<keyof MinuteActivity, 'minute'>;

/** The windows the dashboard offers, in minutes (the API takes 1 to 180; 60 when left out). */
export const WINDOW_CHOICES = [15, 30, 60, 180] as const;
export const DEFAULT_WINDOW_MINUTES = 60;
/** How often the dashboard asks for fresh figures. */
export const REFRESH_INTERVAL_MS = 5_000;

export interface WindowTotals {
  readonly pageViews: number;
  readonly productViews: number;
  readonly addToCarts: number;
  readonly checkouts: number;
  readonly purchases: number;
  /** Minor units (cents). */
  readonly revenue: number;
  /**
   * The most distinct sessions seen in one minute of the window. Per-minute estimates cannot be
   * added up into the window's distinct sessions (a shopper browsing for ten minutes is in ten of
   * them), so the busiest minute is what the dashboard shows.
   */
  readonly peakSessionsPerMinute: number;
}

/** The window's figures, summed over its minutes (sessions: the busiest minute). */
export function windowTotals(series: readonly MinuteActivity[]): WindowTotals {
  const sum = (field: MinuteField) => series.reduce((total, minute) => total + minute[field], 0);
  return {
    pageViews: sum('pageViews'),
    productViews: sum('productViews'),
    addToCarts: sum('addToCarts'),
    checkouts: sum('checkouts'),
    purchases: sum('purchases'),
    revenue: sum('revenue'),
    peakSessionsPerMinute: series.reduce((peak, minute) => Math.max(peak, minute.sessions), 0),
  };
}

const MINUTE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** When a UTC minute such as `2026-11-25T20:34` starts, in epoch seconds (uPlot's time scale). */
export function minuteToSeconds(minute: string): number {
  const milliseconds = Date.parse(`${minute}:00Z`);
  if (!MINUTE_PATTERN.test(minute) || Number.isNaN(milliseconds)) {
    throw new RangeError(`"${minute}" is not a UTC minute such as 2026-11-25T20:34`);
  }
  return milliseconds / 1000;
}

/** uPlot's columns for `fields`: the minutes' start times in seconds, then one column per field. */
export function chartData(
  series: readonly MinuteActivity[],
  fields: readonly MinuteField[],
): uPlot.AlignedData {
  return [
    series.map((minute) => minuteToSeconds(minute.minute)),
    ...fields.map((field) => series.map((minute) => minute[field])),
  ];
}

/** `0.125` gives `12.5%`: a funnel rate (a fraction from 0 to 1) as a percentage. */
export function formatPercent(fraction: number, locale?: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

/** `12345` gives `12,345`. */
export function formatCount(count: number, locale?: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `20:34:05`, in the viewer's time zone, 24-hour clock whatever the locale. */
export function formatClockTime(time: Date | number): string {
  const date = new Date(time);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `20:34`: a UTC minute of the series in the viewer's time zone, as the charts label it. */
export function formatMinute(minute: string): string {
  const date = new Date(minuteToSeconds(minute) * 1000);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export interface SummarizedField {
  readonly field: MinuteField;
  /** What one unit is called in a sentence, such as `page views`. */
  readonly label: string;
}

/**
 * A chart's text alternative: the latest minute's figures and each figure's busiest minute, such
 * as `Latest minute, 20:34 (in progress): 12 page views, 3 sessions. Peak: 40 page views at 20:10, …`.
 */
export function chartSummary(
  series: readonly MinuteActivity[],
  fields: readonly SummarizedField[],
  format: (value: number) => string = (value) => formatCount(value),
): string {
  const latest = series.at(-1);
  if (!latest) return 'No minutes in the window.';
  const figures = fields.map(({ field, label }) => `${format(latest[field])} ${label}`).join(', ');
  const peaks = fields
    .map(({ field, label }) => {
      // The most recent of equal minutes.
      const peak = series.reduce((best, minute) => (minute[field] >= best[field] ? minute : best), latest);
      return peak[field] > 0
        ? `${format(peak[field])} ${label} at ${formatMinute(peak.minute)}`
        : `no ${label}`;
    })
    .join(', ');
  return `Latest minute, ${formatMinute(latest.minute)} (in progress): ${figures}. Peak: ${peaks}.`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat is costly to build: one per locale and options. */
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}/${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}
