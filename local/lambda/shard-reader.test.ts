import type { PolledRecord } from './batch-delivery';
import type { InvokeResult } from './function-host';
import { ShardReader } from './shard-reader';
import type { ShardPosition, ShardRead, StreamShards } from './stream-shards';

/**
 * A shard in memory, read `perRead` records at a time. Iterators are `at-<index>`; with `expireAt`,
 * the read at that index fails once with ExpiredIteratorException, as an iterator kept too long does.
 */
function memoryShard(values: string[], options: { closed: boolean; perRead: number; expireAt?: number }) {
  const records: PolledRecord[] = values.map((value, index) => ({
    sequenceNumber: String(100 + index),
    arrivalMs: Date.now(),
    event: { value },
    sizeBytes: 10,
  }));
  const positions: ShardPosition[] = [];
  let expireAt = options.expireAt;
  const stream: StreamShards = {
    listShards: async () => [{ shardId: 'shard-1', parentShardIds: [], closed: options.closed }],
    iterator: async (_shardId, position) => {
      positions.push(position);
      if (position.type !== 'AFTER_SEQUENCE_NUMBER') return 'at-0';
      return `at-${records.findIndex((r) => r.sequenceNumber === position.sequenceNumber) + 1}`;
    },
    read: async (_shardId, iterator): Promise<ShardRead> => {
      const index = Number(iterator.slice('at-'.length));
      if (index === expireAt) {
        expireAt = undefined;
        throw Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
      }
      const read = records.slice(index, index + options.perRead);
      const next = index + read.length;
      return {
        records: read,
        nextIterator: options.closed && next === records.length ? undefined : `at-${next}`,
      };
    },
  };
  return { stream, positions };
}

function readShard(
  stream: StreamShards,
  policy: Partial<ConstructorParameters<typeof ShardReader>[0]['policy']> = {},
) {
  const batches: string[][] = [];
  const abort = new AbortController();
  let progress = 0;
  const reader = new ShardReader({
    shardId: 'shard-1',
    stream,
    start: { position: { type: 'TRIM_HORIZON' }, iterator: 'at-0' },
    policy: {
      batchSize: 100,
      batchingWindowMs: 0,
      bisectOnError: false,
      maximumRetryAttempts: 0,
      maximumRecordAgeSeconds: -1,
      reportBatchItemFailures: false,
      ...policy,
    },
    invoke: async (records): Promise<InvokeResult> => {
      batches.push(records.map((record) => (record.event as { value: string }).value));
      return { ok: true, payload: null };
    },
    giveUp: async () => undefined,
    pollIntervalMs: 5,
    retryBackoff: { initialMs: 1, maxMs: 5 },
    log: () => undefined,
    signal: abort.signal,
    onProgress: () => (progress += 1),
  });
  const caughtUp = async () => {
    const since = Date.now();
    while (!reader.caughtUpSince(since)) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { reader, batches, caughtUp, progress: () => progress, stop: () => abort.abort() };
}

describe('ShardReader', () => {
  it('collects records over several reads until they fill a batch, without waiting for the window', async () => {
    const { stream } = memoryShard(['a', 'b', 'c', 'd', 'e'], { closed: true, perRead: 1 });
    // A window longer than the test's timeout: only full batches and the shard's end deliver.
    const shard = readShard(stream, { batchSize: 2, batchingWindowMs: 3_600_000 });

    await shard.reader.done;

    expect(shard.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('finishes a closed shard once every record is delivered, and says so', async () => {
    const { stream } = memoryShard(['a', 'b', 'c'], { closed: true, perRead: 2 });
    const shard = readShard(stream);

    await shard.reader.done;

    expect(shard.reader.finished).toBe(true);
    expect(shard.reader.caughtUpSince(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(shard.progress()).toBeGreaterThan(0);
    expect(shard.batches.flat()).toEqual(['a', 'b', 'c']);
  });

  it('reads on after the last record read when its iterator expires: nothing lost, nothing twice', async () => {
    const { stream, positions } = memoryShard(['a', 'b', 'c', 'd'], {
      closed: false,
      perRead: 2,
      expireAt: 2,
    });
    const shard = readShard(stream);

    await shard.caughtUp();
    shard.stop();
    await shard.reader.done;

    expect(shard.batches.flat()).toEqual(['a', 'b', 'c', 'd']);
    expect(positions).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '101' }]);
  });

  it('stops between reads when asked, with no timer left behind', async () => {
    const { stream } = memoryShard([], { closed: false, perRead: 1 });
    const shard = readShard(stream, {});

    await shard.caughtUp();
    shard.stop();

    await expect(shard.reader.done).resolves.toBeUndefined();
    expect(shard.reader.finished).toBe(false);
  });
});
