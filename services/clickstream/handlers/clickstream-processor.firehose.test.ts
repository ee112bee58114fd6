import type { KinesisStreamRecord } from 'aws-lambda';
import { lambdaContext } from '../../testing/api-gateway-event';
import type { StreamedShopEvent } from '../domain/shop-event';
import { useClickstreamTestPlatform } from '../testing/clickstream-test-platform';
import { expectedAggregates, storedAggregates } from '../testing/expected-aggregates';
import { kinesisEvent } from '../testing/kinesis-test-stream';
import { recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

describe('ClickstreamProcessor delivering to the lake (Firehose)', () => {
  const platform = useClickstreamTestPlatform();

  /** `count` events of `day` on a new stream, read back as Lambda delivers them. */
  async function streamed(day: string, count: number) {
    const traffic = shopTraffic({ events: count, start: new Date(`${day}T08:00:00.000Z`) });
    const stream = await platform().createStream();
    await stream.put(traffic.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })));
    return { traffic, records: await stream.read() };
  }

  const eventIds = (traffic: readonly StreamedShopEvent[]) =>
    traffic.map(({ event }) => event.eventId).sort();
  const deliveredIds = () =>
    platform()
      .deliveredEvents()
      .map((event) => String(event.eventId))
      .sort();
  const sequenceNumbers = (records: readonly KinesisStreamRecord[]) =>
    records.map((r) => r.kinesis.sequenceNumber);

  it('sends the entries Firehose refused for now again, and delivers every event exactly once', async () => {
    const { traffic, records } = await streamed(recentDay(1), 1_000);
    platform().firehose.failEntries({ fraction: 0.2, timesPerRecord: 2 });

    const response = await platform().processor()(kinesisEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(deliveredIds()).toEqual(eventIds(traffic));
    const refused = platform().firehose.calls.reduce((total, call) => total + call.refused, 0);
    // About 240 refusals: a fifth of the records at the first attempt, a fifth of those at the second.
    expect(refused).toBeGreaterThan(100);
  });

  it('sends at most 500 records a call', async () => {
    const { records } = await streamed(recentDay(2), 1_200);

    await platform().processor()(kinesisEvent(records), lambdaContext());

    expect(platform().firehose.calls.map((call) => call.entries)).toEqual([500, 500, 200]);
  });

  it('reports exactly the records Firehose keeps refusing as batch item failures, and still counts them', async () => {
    const day = recentDay(3);
    const { traffic, records } = await streamed(day, 300);
    const refusedIds = [3, 97, 150, 151, 299].map((index) => traffic[index]!.event.eventId);
    platform().firehose.failEntries({ matching: (data) => refusedIds.some((id) => data.includes(id)) });

    const response = await platform().processor()(kinesisEvent(records), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      sequenceNumbers([3, 97, 150, 151, 299].map((index) => records[index]!)),
    );
    expect(deliveredIds()).toEqual(
      eventIds(traffic.filter(({ event }) => !refusedIds.includes(event.eventId))),
    );
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(traffic));
  });

  it('reports every record of the batch when Firehose is down, and still counts them once', async () => {
    const day = recentDay(4);
    const { traffic, records } = await streamed(day, 200);
    platform().firehose.failCalls();

    const response = await platform().processor()(kinesisEvent(records), lambdaContext());
    platform().firehose.clearFaults();
    const retried = await platform().processor()(kinesisEvent(records), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      sequenceNumbers(records),
    );
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(deliveredIds()).toEqual(eventIds(traffic));
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(traffic));
  });
});
