import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { observability } from '../../shared/powertools';
import { lambdaContext } from '../../testing/api-gateway-event';
import { useClickstreamTestPlatform } from '../testing/clickstream-test-platform';
import { expectedAggregates, storedAggregates } from '../testing/expected-aggregates';
import { kinesisEvent } from '../testing/kinesis-test-stream';
import { BOT_USER_AGENT, recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

describe('ClickstreamProcessor feeding the recommender (Personalize)', () => {
  const platform = useClickstreamTestPlatform();

  async function streamed(day: string, count: number, sessions = 200) {
    const traffic = shopTraffic({
      events: count,
      sessions,
      start: new Date(`${day}T12:00:00.000Z`),
      botShare: 0.1,
    });
    // A crawler that signed in: its interactions must not reach the recommender either.
    traffic.push({
      ...traffic[0]!,
      event: {
        ...traffic[0]!.event,
        eventId: crypto.randomUUID(),
        type: 'product_view',
        productId: 'p-001',
        userId: 'u-bot',
      },
      userAgent: BOT_USER_AGENT,
    });
    const stream = await platform().createStream();
    await stream.put(traffic.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })));
    return { traffic, records: await stream.read() };
  }

  it('sends only signed-in shoppers’ product views, add-to-carts and purchases, at most ten a call', async () => {
    // Few sessions, so that a shopper has more than ten interactions.
    const { traffic, records } = await streamed(recentDay(1), 600, 12);
    const interactions = traffic.filter(
      ({ event, userAgent }) =>
        event.userId !== undefined &&
        userAgent !== BOT_USER_AGENT &&
        ['product_view', 'add_to_cart', 'purchase'].includes(event.type),
    );

    await platform().processor()(kinesisEvent(records), lambdaContext());

    const { calls } = platform().personalize;
    expect(calls.every((call) => call.eventList.length >= 1 && call.eventList.length <= 10)).toBe(true);
    expect(calls.some((call) => call.eventList.length === 10)).toBe(true);
    expect(
      platform()
        .personalize.events()
        .map((event) => event.eventId)
        .sort(),
    ).toEqual(interactions.map(({ event }) => event.eventId).sort());
    const sent = new Map(
      platform()
        .personalize.events()
        .map((event) => [event.eventId, event]),
    );
    for (const { event } of interactions) {
      expect(sent.get(event.eventId)).toEqual({
        trackingId: 'tracking-test',
        userId: event.userId,
        sessionId: event.sessionId,
        eventId: event.eventId,
        eventType: event.type,
        itemId: event.productId,
        sentAt: Date.parse(event.timestamp) / 1000,
      });
    }
  });

  it('keeps delivering and counting when Personalize is down, reports no failure, and counts the lost interactions', async () => {
    const day = recentDay(2);
    const { traffic, records } = await streamed(day, 300);
    platform().personalize.fail();
    const tools = observability();
    const addMetric = jest.spyOn(tools.metrics, 'addMetric');

    const response = await platform().processor({}, tools)(kinesisEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(platform().personalize.calls).toHaveLength(0);
    expect(platform().deliveredEvents()).toHaveLength(traffic.length);
    expect(storedAggregates(await platform().aggregatesOf(day))).toEqual(expectedAggregates(traffic));
    expect(addMetric).toHaveBeenCalledWith('PersonalizeEventsFailed', MetricUnit.Count, expect.any(Number));
    const failed = addMetric.mock.calls.find(([name]) => name === 'PersonalizeEventsFailed')?.[2];
    expect(failed).toBeGreaterThan(0);
  });

  it('sends nothing to Personalize while no tracking id is set up', async () => {
    const { traffic, records } = await streamed(recentDay(3), 200);

    const response = await platform().processor({ personalizeTrackingId: undefined })(
      kinesisEvent(records),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(platform().personalize.calls).toHaveLength(0);
    expect(platform().deliveredEvents()).toHaveLength(traffic.length);
  });
});
