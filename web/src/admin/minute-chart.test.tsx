import { act, render, screen } from '@testing-library/react';
import type uPlot from 'uplot';
import { MinuteChart, type MinuteChartLine } from './minute-chart';
import FakeUPlot, { installChartEnvironment } from './testing/fake-uplot';

jest.mock('uplot', () => jest.requireActual('./testing/fake-uplot'));

const LINES: readonly MinuteChartLine[] = [
  { label: 'Page views', color: '#2563eb' },
  { label: 'Sessions', color: '#64748b' },
];
const FIRST: uPlot.AlignedData = [
  [1_700_000_000, 1_700_000_060],
  [10, 5],
  [4, 2],
];
const SECOND: uPlot.AlignedData = [
  [1_700_000_060, 1_700_000_120],
  [5, 7],
  [2, 3],
];

function chart(data: uPlot.AlignedData, formatValue?: (value: number) => string) {
  return (
    <MinuteChart
      title="Views"
      summary="Latest minute, 20:34: 5 page views"
      lines={LINES}
      data={data}
      formatValue={formatValue}
    />
  );
}

describe('MinuteChart', () => {
  let environment: ReturnType<typeof installChartEnvironment>;

  beforeEach(() => {
    FakeUPlot.instances.length = 0;
    environment = installChartEnvironment();
  });

  afterEach(() => environment.restore());

  it('names the chart by its title and describes it by its summary, hiding the canvas', () => {
    const { container } = render(chart(FIRST));
    const figure = screen.getByRole('figure', { name: 'Views' });
    expect(figure).toHaveAccessibleDescription('Latest minute, 20:34: 5 page views');
    expect(screen.getByRole('heading', { name: 'Views' })).toBeInTheDocument();
    expect(container.querySelector('.minute-chart__plot')).toHaveAttribute('aria-hidden', 'true');
  });

  it('creates one plot in its container with a line per column', () => {
    const { container } = render(chart(FIRST));
    expect(FakeUPlot.instances).toHaveLength(1);
    const [plot] = FakeUPlot.instances;
    expect(plot!.data).toBe(FIRST);
    expect(plot!.target).toBe(container.querySelector('.minute-chart__plot'));
    expect(plot!.options.series.map((series) => series.label)).toEqual(['Minute', 'Page views', 'Sessions']);
    expect(plot!.options.series[1]!.stroke).toBe('#2563eb');
    expect(plot!.setData).not.toHaveBeenCalled();
  });

  it('updates the same plot with setData when the data changes, and not when it does not', () => {
    const { rerender } = render(chart(FIRST));
    rerender(chart(FIRST));
    expect(FakeUPlot.instances[0]!.setData).not.toHaveBeenCalled();

    rerender(chart(SECOND));
    expect(FakeUPlot.instances).toHaveLength(1);
    expect(FakeUPlot.instances[0]!.setData).toHaveBeenCalledTimes(1);
    expect(FakeUPlot.instances[0]!.setData).toHaveBeenCalledWith(SECOND);
  });

  it('follows the width of its container', () => {
    render(chart(FIRST));
    const plot = FakeUPlot.instances[0]!;
    act(() => environment.resize(360.6));
    expect(plot.setSize).toHaveBeenCalledWith({ width: 360, height: 180 });
    act(() => environment.resize(360.2));
    act(() => environment.resize(0));
    expect(plot.setSize).toHaveBeenCalledTimes(1);
  });

  it('formats the axis and legend values with the latest formatter, without building the plot again', () => {
    const { rerender } = render(chart(FIRST, (value) => `$${value}`));
    const plot = FakeUPlot.instances[0]!;
    const legendValue = plot.options.series[1]!.value as (...args: unknown[]) => string;
    expect(legendValue(plot, 12, 1, 0)).toBe('$12');
    expect(legendValue(plot, null, 1, null)).toBe('–');

    rerender(chart(FIRST, (value) => `€${value}`));
    expect(FakeUPlot.instances).toHaveLength(1);
    expect(plot.redraw).toHaveBeenCalled();
    expect(legendValue(plot, 12, 1, 0)).toBe('€12');
  });

  it('destroys the plot and stops observing its size on unmount', () => {
    const { unmount } = render(chart(FIRST));
    const plot = FakeUPlot.instances[0]!;
    unmount();
    expect(plot.destroy).toHaveBeenCalledTimes(1);
    act(() => environment.resize(500));
    expect(plot.setSize).not.toHaveBeenCalled();
  });

  it('shows only its title and summary where charts cannot be drawn', () => {
    environment.restore();
    render(chart(FIRST));
    expect(FakeUPlot.instances).toHaveLength(0);
    expect(screen.getByRole('figure', { name: 'Views' })).toHaveTextContent(
      'Latest minute, 20:34: 5 page views',
    );
  });
});
