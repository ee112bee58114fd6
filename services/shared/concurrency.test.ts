import { mapWithConcurrency } from './concurrency';

/** A task whose promises the test settles, one by one, recording how many run at once. */
function controlledTask() {
  const running: { item: number; resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const started: number[] = [];
  let mostAtOnce = 0;
  const task = (item: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(item);
      running.push({ item, resolve, reject });
      mostAtOnce = Math.max(mostAtOnce, running.length);
    });
  const settleOldest = async (outcome: 'resolve' | 'reject' = 'resolve') => {
    const oldest = running.shift();
    if (!oldest) throw new Error('no task is running');
    if (outcome === 'resolve') oldest.resolve(`result ${oldest.item}`);
    else oldest.reject(new Error(`task ${oldest.item} failed`));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { task, started, running, settleOldest, mostAtOnce: () => mostAtOnce };
}

describe('mapWithConcurrency', () => {
  it('runs at most `concurrency` tasks at once, starting the next as one finishes', async () => {
    const control = controlledTask();
    const items = Array.from({ length: 7 }, (_, i) => i);
    const mapped = mapWithConcurrency(items, 3, control.task);
    expect(control.started).toEqual([0, 1, 2]);
    await control.settleOldest();
    expect(control.started).toEqual([0, 1, 2, 3]);
    while (control.running.length > 0) await control.settleOldest();
    await mapped;
    expect(control.mostAtOnce()).toBe(3);
    expect(control.started).toEqual(items);
  });

  it('returns the results in the order of the items, not the order tasks finish in', async () => {
    const delays = [30, 0, 20, 10];
    const results = await mapWithConcurrency(
      delays,
      2,
      (delay) => new Promise<number>((resolve) => setTimeout(() => resolve(delay), delay)),
    );
    expect(results).toEqual(delays);
  });

  it('rejects with the first failure and starts no task after it', async () => {
    const control = controlledTask();
    const mapped = mapWithConcurrency([0, 1, 2, 3, 4], 2, control.task);
    const outcome = expect(mapped).rejects.toThrow('task 0 failed');
    await control.settleOldest('reject');
    await control.settleOldest();
    await outcome;
    expect(control.started).toEqual([0, 1]);
  });

  it('returns an empty list for no items', async () => {
    await expect(mapWithConcurrency([], 10, () => Promise.resolve(1))).resolves.toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a concurrency of %p', async (concurrency) => {
    await expect(mapWithConcurrency([1], concurrency, () => Promise.resolve(1))).rejects.toThrow(RangeError);
  });
});
