import {
  afterInvocation,
  batchReady,
  MAX_PAYLOAD_BYTES,
  nextBatchLength,
  onFailureRecord,
  readInvocation,
  retryDelayMs,
  splitExpired,
  type DeliveryPolicy,
  type PendingBatch,
  type PolledRecord,
} from './batch-delivery';

const record = (sequenceNumber: string, arrivalMs = 0, sizeBytes = 100): PolledRecord => ({
  sequenceNumber,
  arrivalMs,
  event: { sequenceNumber },
  sizeBytes,
});
const records = (...sequenceNumbers: string[]) => sequenceNumbers.map((n) => record(n));
const sequences = (list: readonly PolledRecord[] | undefined) => list?.map((r) => r.sequenceNumber);
const batch = (list: PolledRecord[], retries = 0, invocations = 1): PendingBatch => ({
  records: list,
  retries,
  invocations,
});

const policy: DeliveryPolicy = {
  batchSize: 100,
  bisectOnError: false,
  maximumRetryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  reportBatchItemFailures: true,
};

describe('readInvocation', () => {
  const abc = records('a', 'b', 'c');
  const returned = (payload: unknown) => readInvocation({ ok: true, payload }, abc, true);

  it('reads a function error as a failure of the whole batch', () => {
    expect(
      readInvocation({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' }, abc, true),
    ).toEqual({ kind: 'failure', reason: 'Sandbox.Timedout: Task timed out', functionError: true });
  });

  it.each([undefined, null, 'ok', {}, { batchItemFailures: null }, { batchItemFailures: [] }])(
    'reads %j as a success',
    (payload) => {
      expect(returned(payload)).toEqual({ kind: 'success' });
    },
  );

  it('retries from the lowest failed record', () => {
    expect(returned({ batchItemFailures: [{ itemIdentifier: 'c' }, { itemIdentifier: 'b' }] })).toEqual({
      kind: 'partial',
      firstFailed: 1,
    });
  });

  it.each([
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'no itemIdentifier'],
    [{ batchItemFailures: [{ itemIdentifier: null }] }, 'no itemIdentifier'],
    [{ batchItemFailures: [{ itemId: 'b' }] }, 'no itemIdentifier'],
    [{ batchItemFailures: [{ itemIdentifier: 'z' }] }, 'the itemIdentifier z, not a record of the batch'],
    [{ batchItemFailures: 'b' }, 'batchItemFailures that is not a list'],
    [{ batchItemFailures: [{ itemIdentifier: 'a' }] }, 'the first record of the batch (a) as failed'],
  ])('reads %j as a failure of the whole batch', (payload, reason) => {
    expect(returned(payload)).toEqual({
      kind: 'failure',
      reason: expect.stringContaining(reason),
      functionError: false,
    });
  });

  it('ignores batchItemFailures unless the mapping reports batch item failures', () => {
    expect(
      readInvocation({ ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, abc, false),
    ).toEqual({ kind: 'success' });
  });
});

describe('afterInvocation', () => {
  const failure = { kind: 'failure', reason: 'Error: boom', functionError: true } as const;

  it('is done with every record of a successful batch', () => {
    const verdict = afterInvocation(batch(records('a', 'b')), { kind: 'success' }, policy);

    expect(sequences(verdict.delivered)).toEqual(['a', 'b']);
    expect(verdict.next).toEqual([]);
  });

  it('retries a partial failure from the failed record, which uses a retry', () => {
    const verdict = afterInvocation(
      batch(records('a', 'b', 'c', 'd')),
      { kind: 'partial', firstFailed: 2 },
      policy,
    );

    expect(sequences(verdict.delivered)).toEqual(['a', 'b']);
    expect(verdict.next.map((b) => [sequences(b.records), b.retries])).toEqual([[['c', 'd'], 1]]);
    expect(verdict.retry).toBe(true);
  });

  it('retries a failed batch whole until the retries run out, then gives it up', () => {
    const failed = batch(records('a', 'b'), 2, 3);

    const retried = afterInvocation(batch(records('a', 'b'), 1, 2), failure, policy);
    const exhausted = afterInvocation(failed, failure, policy);

    expect(retried).toEqual({ delivered: [], next: [batch(records('a', 'b'), 2, 2)], retry: true });
    expect(exhausted).toEqual({ delivered: [], next: [], retry: false, exhausted: failed });
  });

  it('retries without end with MaximumRetryAttempts -1', () => {
    const verdict = afterInvocation(batch(records('a'), 10_000), failure, {
      ...policy,
      maximumRetryAttempts: -1,
    });

    expect(verdict.next).toEqual([batch(records('a'), 10_001)]);
  });

  it('gives up at once with MaximumRetryAttempts 0', () => {
    const verdict = afterInvocation(batch(records('a')), failure, { ...policy, maximumRetryAttempts: 0 });

    expect(verdict.exhausted).toEqual(batch(records('a')));
  });

  describe('with BisectBatchOnFunctionError', () => {
    const bisect = { ...policy, bisectOnError: true };

    it('splits a failed batch in two halves, which uses no retry', () => {
      const verdict = afterInvocation(batch(records('a', 'b', 'c', 'd', 'e'), 0, 1), failure, bisect);

      expect(verdict.next.map((b) => sequences(b.records))).toEqual([
        ['a', 'b', 'c'],
        ['d', 'e'],
      ]);
      expect(verdict.next.map((b) => [b.retries, b.invocations])).toEqual([
        [0, 1],
        [0, 1],
      ]);
      expect(verdict.retry).toBe(false);
    });

    it('splits a partially failed batch at the failed record', () => {
      const verdict = afterInvocation(
        batch(records('a', 'b', 'c')),
        { kind: 'partial', firstFailed: 1 },
        bisect,
      );

      expect(sequences(verdict.delivered)).toEqual(['a']);
      expect(verdict.next).toEqual([batch(records('b', 'c'))]);
      expect(verdict.retry).toBe(false);
    });

    it('retries a single failed record, and gives it up once its retries run out', () => {
      expect(afterInvocation(batch(records('c'), 0, 3), failure, bisect).next).toEqual([
        batch(records('c'), 1, 3),
      ]);
      expect(afterInvocation(batch(records('c'), 2, 5), failure, bisect).exhausted).toEqual(
        batch(records('c'), 2, 5),
      );
    });
  });
});

describe('splitExpired', () => {
  it('splits off the records older than the maximum age', () => {
    const list = [record('a', 1_000), record('b', 5_000), record('c', 9_000)];

    const { expired, fresh } = splitExpired(list, 68_000, 60);

    expect(sequences(expired)).toEqual(['a', 'b']);
    expect(sequences(fresh)).toEqual(['c']);
  });

  it('keeps records for the stream’s 24 hours with -1', () => {
    const day = 24 * 60 * 60 * 1000;

    expect(sequences(splitExpired([record('a', 0)], day, -1).expired)).toEqual([]);
    expect(sequences(splitExpired([record('a', 0)], day + 1, -1).expired)).toEqual(['a']);
  });
});

describe('batchReady', () => {
  const window = { batchSize: 3, windowStartMs: 1_000, batchingWindowMs: 5_000, shardEnded: false };

  it('waits for the batching window while the batch is not full', () => {
    expect(batchReady({ ...window, buffered: 2, nowMs: 5_999 })).toBe(false);
  });

  it('delivers a full batch at once, and the records read once the window has elapsed', () => {
    expect(batchReady({ ...window, buffered: 3, nowMs: 1_000 })).toBe(true);
    expect(batchReady({ ...window, buffered: 1, nowMs: 6_000 })).toBe(true);
  });

  it('delivers the last records of an ended shard at once', () => {
    expect(batchReady({ ...window, buffered: 1, nowMs: 1_000, shardEnded: true })).toBe(true);
  });

  it('delivers records as soon as they are read with no window', () => {
    expect(batchReady({ ...window, batchingWindowMs: 0, buffered: 1, nowMs: 1_000 })).toBe(true);
  });

  it('has nothing to deliver with nothing read', () => {
    expect(batchReady({ ...window, buffered: 0, nowMs: 60_000, shardEnded: true })).toBe(false);
  });
});

describe('nextBatchLength', () => {
  it('takes at most the batch size', () => {
    expect(nextBatchLength(records('a', 'b', 'c'), 2)).toBe(2);
    expect(nextBatchLength(records('a'), 2)).toBe(1);
  });

  it('keeps a batch within Lambda’s 6 MB payload, and takes a record bigger than that alone', () => {
    const big = (n: string) => record(n, 0, MAX_PAYLOAD_BYTES / 2);

    expect(nextBatchLength([big('a'), big('b'), big('c')], 100)).toBe(2);
    expect(nextBatchLength([record('a', 0, MAX_PAYLOAD_BYTES + 1), big('b')], 100)).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const backoff = { initialMs: 100, maxMs: 1_000 };

    expect([1, 2, 3, 4, 5, 6].map((retries) => retryDelayMs(retries, backoff))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});

describe('onFailureRecord', () => {
  const input = {
    requestId: 'request-1',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:dev-Processor',
    batch: batch([record('11', Date.UTC(2026, 0, 1)), record('12', Date.UTC(2026, 0, 1, 0, 0, 1))], 3, 4),
    shardId: 'shardId-000000000000',
    now: new Date(Date.UTC(2026, 0, 1, 0, 1)),
  };

  it('describes a Kinesis batch whose retries ran out as Lambda does', () => {
    expect(
      onFailureRecord({
        ...input,
        kind: 'kinesis',
        condition: 'RetryAttemptsExhausted',
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/dev-Clicks',
        lastOutcome: { kind: 'failure', reason: 'Error: boom', functionError: true },
      }),
    ).toEqual({
      requestContext: {
        requestId: 'request-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:dev-Processor',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-01T00:01:00.000Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: '11',
        endSequenceNumber: '12',
        approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z',
        approximateArrivalOfLastRecord: '2026-01-01T00:00:01.000Z',
        batchSize: 2,
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/dev-Clicks',
      },
    });
  });

  it('describes DynamoDB records too old to deliver, reported by the function before', () => {
    const result = onFailureRecord({
      ...input,
      kind: 'dynamodb',
      condition: 'RecordAgeExceeded',
      streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000',
      lastOutcome: { kind: 'partial', firstFailed: 1 },
    });

    expect(result.requestContext.condition).toBe('RecordAgeExceeded');
    expect(result.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(result.KinesisBatchInfo).toBeUndefined();
    expect(result.DDBStreamBatchInfo?.batchSize).toBe(2);
  });

  it('has no response for records never delivered', () => {
    const result = onFailureRecord({
      ...input,
      kind: 'kinesis',
      condition: 'RecordAgeExceeded',
      streamArn: 'arn',
    });

    expect(result.responseContext).toBeUndefined();
  });
});
