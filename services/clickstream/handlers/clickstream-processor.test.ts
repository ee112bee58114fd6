import type { KinesisStreamRecord } from 'aws-lambda';
import { comparableSequenceNumber, expiryOf } from '../../analytics/domain/minute-aggregates';
import { lambdaContext } from '../../testing/api-gateway-event';
import type { StreamedShopEvent } from '../domain/shop-event';
import { useClickstreamTestPlatform } from '../testing/clickstream-test-platform';
import { expectedAggregates, storedAggregates } from '../testing/expected-aggregates';
import { kinesisEvent, type TestRecord } from '../testing/kinesis-test-stream';
import { malformedData, recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

/** `traffic` as stream records, with the malformed records slipped in, one every `every` records. */
function withMalformed(traffic: readonly StreamedShopEvent[], malformed: readonly Buffer[], every: number) {
  const records: TestRecord[] = traffic.map((e) => ({
    data: recordData(e),
    partitionKey: e.event.sessionId,
  }));
  malformed.forEach((data, index) =>
    records.splice(index * every + every / 2, 0, { data, partitionKey: `bad-${index}` }),
  );
  return records;
}

/** The records of `records` that do not carry one of `traffic`'s events. */
function malformedAmong(records: readonly KinesisStreamRecord[], traffic: readonly StreamedShopEvent[]) {
  const valid = new Set(traffic.map((e) => recordData(e).toString('base64')));
  return records.filter((record) => !valid.has(record.kinesis.data));
}

const sequenceNumbers = (records: readonly KinesisStreamRecord[]) =>
  records.map((r) => r.kinesis.sequenceNumber);
const reported = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier);

describe('ClickstreamProcessor', () => {
  const platform = useClickstreamTestPlatform();

  describe('given a batch of 1,000 records of which 1% are malformed', () => {
    const day = recentDay(1);
    let traffic: StreamedShopEvent[];
    let records: KinesisStreamRecord[];
    let response: { batchItemFailures: { itemIdentifier: string }[] };
    let lake: Record<string, unknown>[];
    let lakeLines: string[];

    beforeAll(async () => {
      traffic = shopTraffic({ events: 990, start: new Date(`${day}T10:00:00.000Z`), seed: 7 });
      const malformed = [
        ...Array.from({ length: 4 }, () => malformedData.notJson()),
        ...traffic.slice(0, 3).map(malformedData.schemaViolation),
        ...traffic.slice(3, 6).map(malformedData.oversized),
      ];
      const stream = await platform().createStream();
      await stream.put(withMalformed(traffic, malformed, 99));
      records = await stream.read();
      response = await platform().processor()(kinesisEvent(records), lambdaContext());
      lake = platform().deliveredEvents();
      lakeLines = platform().deliveredLines();
    });

    it('reports no batch item failure', () => {
      expect(records).toHaveLength(1_000);
      expect(response).toEqual({ batchItemFailures: [] });
    });

    it('delivers every valid event to the lake exactly once, as one line of JSON', () => {
      expect(lakeLines.every((line) => line.endsWith('}\n') && line.indexOf('\n') === line.length - 1)).toBe(
        true,
      );
      expect(lake.map((event) => event.eventId).sort()).toEqual(
        traffic.map(({ event }) => event.eventId).sort(),
      );
    });

    it('enriches each event with the server time, the bot flag and its hour partition', () => {
      const browsed = traffic.find((e) => !e.userAgent?.includes('Googlebot'))!;
      const crawled = traffic.find((e) => e.userAgent?.includes('Googlebot'))!;
      const byId = new Map(lake.map((event) => [event.eventId, event]));

      expect(byId.get(browsed.event.eventId)).toEqual({
        ...browsed.event,
        serverTime: new Date(browsed.receivedAt).toISOString(),
        sourceIp: browsed.sourceIp,
        userAgent: browsed.userAgent,
        isBot: false,
        eventDate: `year=${day.slice(0, 4)}/month=${day.slice(5, 7)}/day=${day.slice(8, 10)}/hour=10`,
      });
      expect(byId.get(crawled.event.eventId)).toMatchObject({ isBot: true });
    });

    it('quarantines the malformed records in one object, each with its reason and its data as received', async () => {
      const malformed = malformedAmong(records, traffic);
      const first = malformed[0]!;
      const arrived = new Date(first.kinesis.approximateArrivalTimestamp * 1000).toISOString();
      const key =
        `errors/processor/year=${arrived.slice(0, 4)}/month=${arrived.slice(5, 7)}/day=${arrived.slice(8, 10)}/` +
        `shardId-000000000000-${first.kinesis.sequenceNumber}.ndjson`;

      const lines = (await platform().quarantine()).get(key);

      expect(
        lines?.map(({ sequenceNumber, partitionKey, data }) => ({ sequenceNumber, partitionKey, data })),
      ).toEqual(
        malformed.map(({ kinesis }) => ({
          sequenceNumber: kinesis.sequenceNumber,
          partitionKey: kinesis.partitionKey,
          data: kinesis.data,
        })),
      );
      expect(lines?.map((line) => line.reason)).toEqual([
        ...Array(4).fill(expect.stringMatching(/^the record is not UTF-8 JSON/)),
        ...Array(3).fill(expect.stringMatching(/^schema violation: [\s\S]*event\.price/)),
        ...Array(3).fill(expect.stringMatching(/^the record is \d+ bytes, over the 65536-byte limit$/)),
      ]);
      expect(lines?.slice(4, 7).map((line) => line.issues)).toEqual(
        Array(3).fill([{ path: 'event.price', message: expect.any(String) }]),
      );
    });

    it('adds the events of shoppers, not of bots, to the aggregates of their minutes', async () => {
      const stored = storedAggregates(await platform().aggregatesOf(day));

      expect(stored).toEqual(expectedAggregates(traffic));
      expect(Object.keys(stored)).toContain(`MINUTE#${day}T10:01|TOTALS`);
    });

    it('stamps each aggregate with its expiry and the last sequence number of the batch', async () => {
      const item = (await platform().aggregatesOf(`${day}T10:01`)).find((stored) => stored.sk === 'TOTALS');

      expect(item).toMatchObject({
        expiresAt: expiryOf(new Date(`${day}T10:01:00.000Z`)),
        appliedBatches: {
          'shardId-000000000000': comparableSequenceNumber(records.at(-1)!.kinesis.sequenceNumber),
        },
      });
    });
  });

  it('reports the malformed records, and only them, when the quarantine cannot store them', async () => {
    const traffic = shopTraffic({ events: 40, start: new Date(`${recentDay(2)}T10:00:00.000Z`) });
    const stream = await platform().createStream();
    await stream.put(
      withMalformed(traffic, [malformedData.notJson(), malformedData.oversized(traffic[0]!)], 20),
    );
    const records = await stream.read();

    const response = await platform().processor({ quarantineBucketName: 'no-such-bucket' })(
      kinesisEvent(records),
      lambdaContext(),
    );

    expect(reported(response)).toEqual(sequenceNumbers(malformedAmong(records, traffic)));
    expect(platform().deliveredEvents()).toHaveLength(40);
  });

  it('reports every counted record when the aggregates cannot be written, and still fills the lake', async () => {
    const traffic = shopTraffic({
      events: 60,
      start: new Date(`${recentDay(3)}T10:00:00.000Z`),
      botShare: 0.2,
    });
    const stream = await platform().createStream();
    await stream.put(traffic.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })));
    const records = await stream.read();
    const fromShoppers = records.filter(
      (_record, index) => !traffic[index]!.userAgent?.includes('Googlebot'),
    );

    const response = await platform().processor({ analyticsTableName: 'no-such-table' })(
      kinesisEvent(records),
      lambdaContext(),
    );

    expect(fromShoppers.length).toBeLessThan(records.length);
    expect(reported(response)).toEqual(sequenceNumbers(fromShoppers));
    expect(platform().deliveredEvents()).toHaveLength(60);
  });
});
