import {
  chartData,
  chartSummary,
  formatClockTime,
  formatCount,
  formatMinute,
  formatPercent,
  minuteToSeconds,
  windowTotals,
} from './dashboard-figures';
import { minute } from './testing/dashboard-fixtures';

/** The UTC minute of a local time, so that expectations read the same in every time zone. */
function utcMinute(hours: number, minutes: number): string {
  return new Date(2026, 10, 25, hours, minutes).toISOString().slice(0, 16);
}

describe('windowTotals', () => {
  it("adds up each figure over the window's minutes", () => {
    const totals = windowTotals([
      minute('2026-11-25T20:33', {
        pageViews: 10,
        productViews: 6,
        addToCarts: 2,
        checkouts: 1,
        purchases: 1,
        revenue: 4699,
      }),
      minute('2026-11-25T20:34', {
        pageViews: 5,
        productViews: 4,
        addToCarts: 1,
        checkouts: 1,
        purchases: 0,
        revenue: 0,
      }),
    ]);
    expect(totals).toMatchObject({
      pageViews: 15,
      productViews: 10,
      addToCarts: 3,
      checkouts: 2,
      purchases: 1,
      revenue: 4699,
    });
  });

  it('takes sessions from the busiest minute, since per-minute estimates cannot be added up', () => {
    const totals = windowTotals([
      minute('2026-11-25T20:32', { sessions: 7 }),
      minute('2026-11-25T20:33', { sessions: 12 }),
      minute('2026-11-25T20:34', { sessions: 3 }),
    ]);
    expect(totals.peakSessionsPerMinute).toBe(12);
  });

  it('gives zeros for an empty window', () => {
    expect(windowTotals([])).toEqual({
      pageViews: 0,
      productViews: 0,
      addToCarts: 0,
      checkouts: 0,
      purchases: 0,
      revenue: 0,
      peakSessionsPerMinute: 0,
    });
  });
});

describe('minuteToSeconds', () => {
  it('gives the start of a UTC minute in epoch seconds', () => {
    expect(minuteToSeconds('2026-11-25T20:34')).toBe(Date.UTC(2026, 10, 25, 20, 34) / 1000);
  });

  it('rejects anything but a minute such as 2026-11-25T20:34', () => {
    expect(() => minuteToSeconds('2026-11-25T20:34:00')).toThrow(RangeError);
    expect(() => minuteToSeconds('yesterday')).toThrow('"yesterday" is not a UTC minute');
  });
});

describe('chartData', () => {
  it("gives uPlot's columns: the minutes in seconds, then one column per field", () => {
    const series = [
      minute('2026-11-25T20:33', { pageViews: 10, sessions: 4 }),
      minute('2026-11-25T20:34', { pageViews: 5, sessions: 2 }),
    ];
    const start = Date.UTC(2026, 10, 25, 20, 33) / 1000;
    expect(chartData(series, ['pageViews', 'sessions'])).toEqual([
      [start, start + 60],
      [10, 5],
      [4, 2],
    ]);
  });

  it('gives empty columns for an empty window', () => {
    expect(chartData([], ['revenue'])).toEqual([[], []]);
  });
});

describe('formatPercent', () => {
  it('shows a rate as a percentage with at most one decimal', () => {
    expect(formatPercent(0.2, 'en-US')).toBe('20%');
    expect(formatPercent(0.125, 'en-US')).toBe('12.5%');
    expect(formatPercent(1 / 3, 'en-US')).toBe('33.3%');
    expect(formatPercent(0, 'en-US')).toBe('0%');
    expect(formatPercent(1, 'en-US')).toBe('100%');
  });

  it("follows the viewer's locale", () => {
    expect(formatPercent(0.125, 'de-DE')).toBe('12,5\u00a0%');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
    expect(formatCount(0, 'en-US')).toBe('0');
  });
});

describe('formatClockTime', () => {
  it('gives hh:mm:ss on a 24-hour clock in local time', () => {
    expect(formatClockTime(new Date(2026, 10, 25, 9, 5, 7))).toBe('09:05:07');
    expect(formatClockTime(new Date(2026, 10, 25, 21, 45, 0).getTime())).toBe('21:45:00');
  });
});

describe('formatMinute', () => {
  it('gives a UTC minute as hh:mm in local time', () => {
    expect(formatMinute(utcMinute(20, 34))).toBe('20:34');
    expect(formatMinute(utcMinute(7, 5))).toBe('07:05');
  });
});

describe('chartSummary', () => {
  const fields = [
    { field: 'pageViews', label: 'page views' },
    { field: 'purchases', label: 'purchases' },
  ] as const;

  it("tells the latest minute's figures and each figure's busiest minute", () => {
    const series = [
      minute(utcMinute(20, 32), { pageViews: 4 }),
      minute(utcMinute(20, 33), { pageViews: 40, purchases: 2 }),
      minute(utcMinute(20, 34), { pageViews: 12, purchases: 0 }),
    ];
    expect(chartSummary(series, fields)).toBe(
      'Latest minute, 20:34 (in progress): 12 page views, 0 purchases. ' +
        'Peak: 40 page views at 20:33, 2 purchases at 20:33.',
    );
  });

  it('says when a figure has no events in the window, and formats values as asked', () => {
    const series = [minute(utcMinute(20, 33), { revenue: 0 }), minute(utcMinute(20, 34), { revenue: 0 })];
    expect(chartSummary(series, [{ field: 'revenue', label: 'revenue' }], (cents) => `$${cents / 100}`)).toBe(
      'Latest minute, 20:34 (in progress): $0 revenue. Peak: no revenue.',
    );
  });

  it('says so when the window has no minutes', () => {
    expect(chartSummary([], fields)).toBe('No minutes in the window.');
  });
});
