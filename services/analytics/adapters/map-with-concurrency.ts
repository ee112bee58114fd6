/**
 * `task` applied to every item with at most `concurrency` tasks running at once; the results in
 * the order of `items`. After a task fails no further task starts, and the first failure is thrown.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const results = new Array<R>(items.length);
  const pending = items.entries();
  let failed = false;
  const worker = async () => {
    for (const [index, item] of pending) {
      if (failed) return;
      try {
        results[index] = await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
