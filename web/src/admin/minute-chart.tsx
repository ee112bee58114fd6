import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from './dashboard-figures';

export interface MinuteChartLine {
  /** In the legend, such as `Page views`. */
  readonly label: string;
  /** A CSS colour. */
  readonly color: string;
}

export interface MinuteChartProps {
  readonly title: string;
  /** The chart's text alternative: what a reader who cannot see the canvas needs to know. */
  readonly summary: string;
  /**
   * One line per column of `data` after the first. The plot is built again when this changes, so
   * keep it the same object from render to render (a module constant).
   */
  readonly lines: readonly MinuteChartLine[];
  /** uPlot's columns: minute start times in epoch seconds, then one column per line. */
  readonly data: uPlot.AlignedData;
  /** Formats a value for the y axis and the legend. @default a whole number, `1,234` */
  readonly formatValue?: (value: number) => string;
  /** In CSS pixels, axes included. @default 180 */
  readonly height?: number;
}

/** Used when the container has no width yet (hidden, or not laid out): the first resize corrects it. */
const FALLBACK_WIDTH = 300;

/**
 * A small per-minute line chart drawn by uPlot. The plot is created once and then updated in place:
 * new `data` goes to `setData` (no flicker, the legend and cursor stay), a new container width to
 * `setSize` (it follows its container, down to a phone's width), and it is destroyed on unmount.
 * Where charts cannot be drawn (no `matchMedia`, as in jsdom), only the title and summary show.
 */
export function MinuteChart({ title, summary, lines, data, formatValue, height = 180 }: MinuteChartProps) {
  const titleId = useId();
  const summaryId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  const format = useRef(formatValue ?? defaultFormat);

  // Declared before the effect that builds the plot, so that they run first on mount.
  useEffect(() => {
    format.current = formatValue ?? defaultFormat;
    plotRef.current?.redraw(false, true);
  }, [formatValue]);

  useEffect(() => {
    latestData.current = data;
    plotRef.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || !canDrawCharts()) return;
    const valueOf = (value: number | null | undefined) => (value == null ? '–' : format.current(value));
    let width = container.clientWidth > 0 ? Math.floor(container.clientWidth) : FALLBACK_WIDTH;
    const plot = new uPlot(
      {
        width,
        height,
        series: [
          { label: 'Minute', value: '{HH}:{mm}' },
          ...lines.map(({ label, color }) => ({
            label,
            stroke: color,
            width: 2,
            points: { show: false },
            value: (_plot: uPlot, value: number | null) => valueOf(value),
          })),
        ],
        scales: {
          x: { time: true },
          // Counts and revenue start at zero; an empty window still gets a visible scale.
          y: { range: (_plot, _min, max) => uPlot.rangeNum(0, Math.max(max, 1), 0.1, true) },
        },
        axes: [
          {},
          {
            values: (_plot, splits) => splits.map(valueOf),
            size: (_plot, values) =>
              Math.max(40, 16 + 7 * Math.max(0, ...(values ?? []).map((v) => v.length))),
          },
        ],
        // No drag-to-zoom: the next refresh every few seconds would reset it anyway.
        cursor: { drag: { x: false, y: false } },
      },
      latestData.current,
      container,
    );
    plotRef.current = plot;

    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            const newWidth = Math.floor(entries[0]?.contentRect.width ?? 0);
            if (newWidth > 0 && newWidth !== width) {
              width = newWidth;
              plot.setSize({ width, height });
            }
          })
        : undefined;
    observer?.observe(container);

    return () => {
      observer?.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [lines, height]);

  return (
    <figure className="minute-chart" aria-labelledby={titleId} aria-describedby={summaryId}>
      <figcaption>
        <h3 id={titleId} className="minute-chart__title">
          {title}
        </h3>
        <p id={summaryId} className="minute-chart__summary">
          {summary}
        </p>
      </figcaption>
      {/* The canvas says nothing to assistive technology; the summary above stands in for it. */}
      <div ref={containerRef} className="minute-chart__plot" aria-hidden="true" />
    </figure>
  );
}

function defaultFormat(value: number): string {
  return formatCount(value);
}

/** uPlot needs a browser: `matchMedia` (read when it is loaded) and a canvas. */
function canDrawCharts(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function';
}
