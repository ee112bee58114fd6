import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../../testing/api-gateway-event';
import type { StreamedShopEvent } from '../domain/shop-event';
import { useClickstreamTestPlatform } from '../testing/clickstream-test-platform';
import { expectedAggregates, storedAggregates } from '../testing/expected-aggregates';
import { kinesisEvent, type KinesisTestStream } from '../testing/kinesis-test-stream';
import { BOT_USER_AGENT, recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

describe('ClickstreamProcessor counting live aggregates', () => {
  const platform = useClickstreamTestPlatform();

  const put = (stream: KinesisTestStream, traffic: readonly StreamedShopEvent[]) =>
    stream.put(traffic.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })));
  const traffic = (day: string, events: number, seed = 1) =>
    shopTraffic({ events, start: new Date(`${day}T18:00:00.000Z`), seed });

  it('leaves the aggregates unchanged when the same batch is processed again', async () => {
    const day = recentDay(0);
    const events = traffic(day, 400);
    const stream = await platform().createStream();
    await put(stream, events);
    const batch = kinesisEvent(await stream.read());
    const processor = platform().processor();

    await processor(batch, lambdaContext());
    const once = storedAggregates(await platform().aggregatesOf(day));
    const again = await processor(batch, lambdaContext());

    expect(again).toEqual({ batchItemFailures: [] });
    expect(once).toEqual(expectedAggregates(events));
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(once);
  });

  it('counts only the new records when the second half of a batch comes again with newer records', async () => {
    const day = recentDay(1);
    const first = traffic(day, 400, 1);
    const later = traffic(day, 200, 2);
    const stream = await platform().createStream();
    await put(stream, first);
    const firstBatch = await stream.read();
    const processor = platform().processor();
    await processor(kinesisEvent(firstBatch), lambdaContext());
    await put(stream, later);

    const retried = (await stream.read()).slice(200);
    const response = await processor(kinesisEvent(retried), lambdaContext());

    expect(retried).toHaveLength(400);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(
      expectedAggregates([...first, ...later]),
    );
  });

  it('counts an event id repeated within a batch once, and sends it to the lake once', async () => {
    const day = recentDay(2);
    const events = traffic(day, 100);
    const repeated = [events[10]!, events[10]!, events[55]!];
    const stream = await platform().createStream();
    await put(stream, [...events, ...repeated]);

    const response = await platform().processor()(kinesisEvent(await stream.read()), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(platform().deliveredEvents()).toHaveLength(100);
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(events));
  });

  it('does not count a repeated event id when a retry starts between its two records', async () => {
    const day = recentDay(3);
    const events = traffic(day, 100);
    const stream = await platform().createStream();
    await put(stream, [...events, events[10]!]);
    const records = await stream.read();
    const processor = platform().processor();

    await processor(kinesisEvent(records), lambdaContext());
    await processor(kinesisEvent(records.slice(50)), lambdaContext());

    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(events));
  });

  it('delivers bot traffic to the lake but leaves it out of the aggregates', async () => {
    const day = recentDay(4);
    const shoppers = traffic(day, 50).map((e) => ({ ...e, userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1' }));
    const bots = traffic(day, 30, 9).map((e) => ({ ...e, userAgent: BOT_USER_AGENT }));
    const stream = await platform().createStream();
    await put(stream, [...shoppers, ...bots]);

    await platform().processor()(kinesisEvent(await stream.read()), lambdaContext());

    const lake = platform().deliveredEvents();
    expect(lake.filter((event) => event.isBot)).toHaveLength(30);
    expect(lake).toHaveLength(80);
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(shoppers));
  });

  it('counts a batch once when several invocations apply it at the same time', async () => {
    const day = recentDay(5);
    const events = traffic(day, 300);
    const stream = await platform().createStream();
    await put(stream, events);
    const batch = kinesisEvent(await stream.read());
    let conflicts = 0;
    platform().tables.client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if ((error as Error).name === 'ConditionalCheckFailedException') conflicts += 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'countConflicts' },
    );

    try {
      const responses = await Promise.all([
        platform().processor()(batch, lambdaContext()),
        platform().processor()(batch, lambdaContext()),
        platform().processor()(batch, lambdaContext()),
      ]);

      expect(responses).toEqual(Array(3).fill({ batchItemFailures: [] }));
      // All three read the items before any of them writes: the later writers lose the race.
      expect(conflicts).toBeGreaterThan(0);
      expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(events));
    } finally {
      platform().tables.client.middlewareStack.remove('countConflicts');
    }
  });

  it('keeps the counts of each shard apart, so records of another shard are never taken for replays', async () => {
    const day = recentDay(6);
    const events = traffic(day, 120);
    const stream = await platform().createStream();
    await put(stream, events);
    const records = await stream.read();
    const onOtherShard = records.slice(60).map((record) => ({
      ...record,
      eventID: record.eventID.replace('shardId-000000000000', 'shardId-000000000001'),
      kinesis: { ...record.kinesis, sequenceNumber: `1${randomUUID().replace(/\D/g, '').slice(0, 10)}` },
    }));
    const processor = platform().processor();

    await processor(kinesisEvent(onOtherShard), lambdaContext());
    await processor(kinesisEvent(records.slice(0, 60)), lambdaContext());

    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(events));
  });
});
