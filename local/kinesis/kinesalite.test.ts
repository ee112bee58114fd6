import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { localKinesisClient, startKinesalite, type Kinesalite } from './kinesalite';

describe('kinesalite', () => {
  let kinesalite: Kinesalite;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    kinesalite = await startKinesalite();
    kinesis = localKinesisClient(kinesalite.endpoint);
  });

  afterAll(async () => {
    kinesis.destroy();
    await kinesalite.stop();
  });

  it('takes records with PutRecords and gives them back in order with GetRecords', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'clicks',
        Records: ['one', 'two', 'three'].map((value) => ({
          Data: Buffer.from(value),
          PartitionKey: 'session-1',
        })),
      }),
    );
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'clicks' }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'clicks',
        ShardId: Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));

    expect(put.FailedRecordCount).toBe(0);
    expect(Records?.map((record) => Buffer.from(record.Data ?? []).toString())).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(Records?.map((record) => record.SequenceNumber)).toEqual(
      put.Records?.map((r) => r.SequenceNumber),
    );
  });

  it('stops its process', async () => {
    const other = await startKinesalite();

    await other.stop();

    expect(other.process.exitCode !== null || other.process.signalCode !== null).toBe(true);
  });
});
