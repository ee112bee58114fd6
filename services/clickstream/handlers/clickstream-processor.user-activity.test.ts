import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../../testing/api-gateway-event';
import type { StreamedShopEvent } from '../domain/shop-event';
import { useClickstreamTestPlatform } from '../testing/clickstream-test-platform';
import { expectedUserActivity, storedUserActivity } from '../testing/expected-user-activity';
import { kinesisEvent, type KinesisTestStream } from '../testing/kinesis-test-stream';
import { recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

describe("ClickstreamProcessor keeping shoppers' recent activity", () => {
  const platform = useClickstreamTestPlatform();

  /** Shop traffic whose shoppers are this test's own (`<tag>-u-7`), so that tests sharing the table do not mix. */
  const traffic = (tag: string, day: string, events: number, seed = 1, hour = 18): StreamedShopEvent[] =>
    shopTraffic({ events, start: new Date(`${day}T${String(hour).padStart(2, '0')}:00:00.000Z`), seed }).map(
      (streamed) => ({
        ...streamed,
        event: {
          ...streamed.event,
          ...(streamed.event.userId !== undefined && { userId: `${tag}-${streamed.event.userId}` }),
        },
      }),
    );
  const put = (stream: KinesisTestStream, events: readonly StreamedShopEvent[]) =>
    stream.put(events.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })));
  const stored = async (tag: string) => storedUserActivity(await platform().userActivityOf(`${tag}-`));
  const newTag = () => `t${randomUUID().slice(0, 6)}`;

  it("records each signed-in shopper's latest time with each product and the event types seen", async () => {
    const tag = newTag();
    const events = traffic(tag, recentDay(0), 600);
    const stream = await platform().createStream();
    await put(stream, events);

    const response = await platform().processor()(kinesisEvent(await stream.read()), lambdaContext());

    const expected = expectedUserActivity(events);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.keys(expected).length).toBeGreaterThan(50);
    expect(await stored(tag)).toEqual(expected);
  });

  it('leaves the activity unchanged when the same batch is processed again', async () => {
    const tag = newTag();
    const events = traffic(tag, recentDay(1), 400);
    const stream = await platform().createStream();
    await put(stream, events);
    const batch = kinesisEvent(await stream.read());
    const processor = platform().processor();

    await processor(batch, lambdaContext());
    const once = await stored(tag);
    const again = await processor(batch, lambdaContext());

    expect(again).toEqual({ batchItemFailures: [] });
    expect(once).toEqual(expectedUserActivity(events));
    expect(await stored(tag)).toEqual(once);
  });

  it('ends where processing every record once would, when the second half of a batch comes again with newer records', async () => {
    const tag = newTag();
    const day = recentDay(2);
    const first = traffic(tag, day, 300, 1, 10);
    const later = traffic(tag, day, 200, 2, 11);
    const stream = await platform().createStream();
    await put(stream, first);
    const processor = platform().processor();
    await processor(kinesisEvent(await stream.read()), lambdaContext());
    await put(stream, later);

    const response = await processor(kinesisEvent((await stream.read()).slice(150)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stored(tag)).toEqual(expectedUserActivity([...first, ...later]));
  });

  it('keeps the later time, and adds the event types, when an older batch comes after a newer one', async () => {
    const tag = newTag();
    const day = recentDay(3);
    const older = traffic(tag, day, 300, 3, 9);
    const newer = traffic(tag, day, 300, 4, 12);
    const olderStream = await platform().createStream();
    const newerStream = await platform().createStream();
    await put(olderStream, older);
    await put(newerStream, newer);
    const processor = platform().processor();

    await processor(kinesisEvent(await newerStream.read()), lambdaContext());
    await processor(kinesisEvent(await olderStream.read()), lambdaContext());

    const activity = await stored(tag);
    expect(activity).toEqual(expectedUserActivity([...older, ...newer]));
    // Some shoppers met the same product in both, with other event types the second time.
    const both = Object.keys(expectedUserActivity(older)).filter((id) => id in expectedUserActivity(newer));
    expect(both.length).toBeGreaterThan(0);
  });

  it('reports the records of signed-in shoppers about products when the activity cannot be written', async () => {
    const tag = newTag();
    const events = traffic(tag, recentDay(4), 100);
    const stream = await platform().createStream();
    await put(stream, events);
    const records = await stream.read();
    const processor = platform().processor();
    const documents = platform().tables.documents;
    const send = documents.send.bind(documents);
    const failUserActivity = jest.spyOn(documents, 'send').mockImplementation(((command: {
      input: { Key?: { pk?: string } };
    }) => {
      if (command.input.Key?.pk?.startsWith('USER#')) return Promise.reject(new Error('throttled'));
      return send(command as never);
    }) as never);

    try {
      const response = await processor(kinesisEvent(records), lambdaContext());

      const withActivity = records.filter((_record, index) => {
        const { event, userAgent } = events[index]!;
        return (
          event.userId !== undefined && event.productId !== undefined && !userAgent?.includes('Googlebot')
        );
      });
      expect(withActivity.length).toBeGreaterThan(0);
      expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
        withActivity.map((record) => record.kinesis.sequenceNumber),
      );
    } finally {
      failUserActivity.mockRestore();
    }
  });
});
