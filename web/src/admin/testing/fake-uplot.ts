import type uPlot from 'uplot';

/**
 * jsdom has no canvas, and uPlot reads `matchMedia` as soon as it is loaded. Component tests replace
 * it with this recorder: `jest.mock('uplot', () => jest.requireActual('./testing/fake-uplot'))`.
 */
export default class FakeUPlot {
  /** Every plot created, oldest first; empty it before each test. */
  static readonly instances: FakeUPlot[] = [];

  readonly setData = jest.fn((_data: uPlot.AlignedData, _resetScales?: boolean) => undefined);
  readonly setSize = jest.fn((_size: { width: number; height: number }) => undefined);
  readonly redraw = jest.fn((_rebuildPaths?: boolean, _recalcAxes?: boolean) => undefined);
  readonly destroy = jest.fn(() => undefined);

  constructor(
    readonly options: uPlot.Options,
    readonly data: uPlot.AlignedData,
    readonly target: HTMLElement,
  ) {
    FakeUPlot.instances.push(this);
  }

  static rangeNum(min: number, max: number): [number, number] {
    return [min, max];
  }
}

/**
 * What MinuteChart needs to draw in jsdom: `matchMedia`, and a ResizeObserver that the test drives.
 * @returns `resize(width)`, which reports a new width for every observed element.
 */
export function installChartEnvironment(): { resize: (width: number) => void; restore: () => void } {
  const callbacks = new Set<ResizeObserverCallback>();
  class FakeResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe() {
      callbacks.add(this.callback);
    }
    unobserve() {}
    disconnect() {
      callbacks.delete(this.callback);
    }
  }
  const matchMedia = (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  });
  Object.assign(window, { matchMedia, ResizeObserver: FakeResizeObserver });
  return {
    resize: (width) => {
      for (const callback of callbacks) {
        callback([{ contentRect: { width } } as ResizeObserverEntry], {} as ResizeObserver);
      }
    },
    restore: () => {
      const globals = window as unknown as Record<string, unknown>;
      delete globals.matchMedia;
      delete globals.ResizeObserver;
    },
  };
}
