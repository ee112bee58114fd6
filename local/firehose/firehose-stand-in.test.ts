import { FirehoseClient, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import { startFirehoseStandIn, type FirehoseStandIn } from './firehose-stand-in';

const text = (records: readonly Buffer[]) => records.map((record) => record.toString('utf8'));
const lines = (...values: string[]) => values.map((value) => ({ Data: Buffer.from(value) }));

describe('Firehose stand-in', () => {
  let firehose: FirehoseStandIn;
  let client: FirehoseClient;
  const delivered: { stream: string; records: string[] }[] = [];

  beforeAll(async () => {
    firehose = await startFirehoseStandIn({
      deliveryStreams: ['clicks', 'orders'],
      onDeliver: (stream, records) => {
        delivered.push({ stream, records: text(records) });
      },
    });
    client = new FirehoseClient({
      endpoint: firehose.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await firehose.stop();
  });

  beforeEach(() => {
    firehose.reset();
    delivered.length = 0;
  });

  it('keeps the records of PutRecordBatch and PutRecord per delivery stream, in order', async () => {
    const batch = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines('a\n', 'b\n') }),
    );
    await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'orders', Record: { Data: Buffer.from('c\n') } }),
    );
    await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'clicks', Record: { Data: Buffer.from('d\n') } }),
    );

    expect(batch.FailedPutCount).toBe(0);
    expect(batch.RequestResponses).toEqual([
      { RecordId: expect.any(String) },
      { RecordId: expect.any(String) },
    ]);
    expect(text(firehose.records('clicks'))).toEqual(['a\n', 'b\n', 'd\n']);
    expect(text(firehose.records('orders'))).toEqual(['c\n']);
  });

  it('hands each call’s accepted records to the onDeliver sink', async () => {
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines('a', 'b') }));

    expect(delivered).toEqual([{ stream: 'clicks', records: ['a', 'b'] }]);
  });

  it('refuses the entries a fault matches, each only as many times as it is told', async () => {
    firehose.failEntries({ matching: (data) => data.toString().startsWith('x'), timesPerRecord: 2 });
    const send = () =>
      client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines('a', 'x1', 'x2') }),
      );

    const first = await send();
    const second = await send();
    const third = await send();

    expect(first.FailedPutCount).toBe(2);
    expect(first.RequestResponses?.map((entry) => entry.ErrorCode)).toEqual([
      undefined,
      'ServiceUnavailableException',
      'ServiceUnavailableException',
    ]);
    expect(second.FailedPutCount).toBe(2);
    expect(third.FailedPutCount).toBe(0);
    expect(text(firehose.records('clicks'))).toEqual(['a', 'a', 'a', 'x1', 'x2']);
    expect(firehose.calls.map((call) => call.refused)).toEqual([2, 2, 0]);
  });

  it('refuses about the share of entries it is told to', async () => {
    firehose.failEntries({ fraction: 0.5 });
    const values = Array.from({ length: 400 }, (_, index) => `record-${index}`);

    const response = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines(...values) }),
    );

    expect(response.FailedPutCount).toBeGreaterThan(100);
    expect(response.FailedPutCount).toBeLessThan(300);
    expect(firehose.records('clicks')).toHaveLength(400 - response.FailedPutCount!);
  });

  it('fails whole calls with ServiceUnavailableException, as many times as it is told', async () => {
    firehose.failCalls({ times: 1 });
    const send = () =>
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines('a') }));

    await expect(send()).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(send()).resolves.toMatchObject({ FailedPutCount: 0 });
    expect(text(firehose.records('clicks'))).toEqual(['a']);
  });

  it('refuses a call over Firehose’s limit of 500 records', async () => {
    const values = Array.from({ length: 501 }, (_, index) => `record-${index}`);

    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines(...values) })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException' });
    expect(firehose.records('clicks')).toEqual([]);
  });

  it('refuses a call of more than 4 MiB', async () => {
    const large = 'x'.repeat(900 * 1024);

    await expect(
      client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'clicks',
          Records: lines(large, large, large, large, large),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException' });
  });

  it('answers ResourceNotFoundException for a delivery stream that does not exist', async () => {
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: lines('a') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('fails the call and keeps nothing when the onDeliver sink fails', async () => {
    const failing = await startFirehoseStandIn({
      onDeliver: () => Promise.reject(new Error('disk full')),
    });
    const failingClient = new FirehoseClient({
      endpoint: failing.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      await expect(
        failingClient.send(new PutRecordBatchCommand({ DeliveryStreamName: 'clicks', Records: lines('a') })),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableException',
        message: expect.stringContaining('disk full'),
      });
      expect(failing.records('clicks')).toEqual([]);
    } finally {
      failingClient.destroy();
      await failing.stop();
    }
  });
});
