import { randomUUID } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { kinesis } from './aws-clients';
import { eventually, seconds } from './eventually';
import { lakeEventsSince, type LakeEvent } from './lake';
import { platformUnderTest } from './platform';
import { api, json } from './shop-api';
import { RUN_ID, testUsers } from './test-users';

/** A shop event as the storefront sends it to POST /events. */
interface ShopEvent {
  eventId: string;
  type: string;
  sessionId: string;
  timestamp: string;
  productId?: string;
  price?: number;
  quantity?: number;
  orderId?: string;
}

const { clickstreamStreamName } = platformUnderTest();
const users = testUsers({ shopper: {}, admin: { groups: ['admin'] } });

/** A browser's user agent: events of known bots reach the lake but not the live figures. */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) ecommerce-platform-integration-tests';

/** A product of this run only, so its live figures are exactly what this run sends. */
const productId = `integ-${RUN_ID}`;
const startedAt = new Date();

const event = (sessionId: string, type: string, fields: Partial<ShopEvent> = {}): ShopEvent => ({
  eventId: randomUUID(),
  type,
  sessionId,
  timestamp: new Date().toISOString(),
  productId,
  ...fields,
});

/** Sent through POST /events: two product views and an add-to-cart. */
const browsing = [
  event(`integ-${RUN_ID}-browser`, 'product_view'),
  event(`integ-${RUN_ID}-browser`, 'product_view'),
  event(`integ-${RUN_ID}-browser`, 'add_to_cart'),
];
/** Written to the stream directly, as POST /events would: a view, an add-to-cart and a purchase. */
const buying = [
  event(`integ-${RUN_ID}-direct`, 'product_view'),
  event(`integ-${RUN_ID}-direct`, 'add_to_cart'),
  event(`integ-${RUN_ID}-direct`, 'purchase', { price: 1999, quantity: 1, orderId: `ord_integ_${RUN_ID}` }),
];
/** What the live figures of the product add up to once both batches are counted. */
const expectedActivity = { productId, views: 3, addToCarts: 2, purchases: 1 };

const postEvents = (body: unknown, headers: Record<string, string> = {}) =>
  api('events', { method: 'POST', body, headers: { 'user-agent': BROWSER, ...headers } });

describe('POST /events', () => {
  it('accepts a batch of events with 200 and says how many the stream took', async () => {
    const response = await postEvents({ events: browsing });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ accepted: browsing.length, failed: 0, retry: [] });
  });

  it.each([
    ['an empty batch', { events: [] }],
    ['more than 25 events', { events: Array.from({ length: 26 }, () => event('s', 'page_view')) }],
    ['an event of an unknown type', { events: [event('s', 'teleport')] }],
    ['an event without a session', { events: [{ ...event('s', 'page_view'), sessionId: undefined }] }],
    ['an event with an unknown field', { events: [{ ...event('s', 'page_view'), coupon: 'FREE' }] }],
    ['a body without events', { clicks: [event('s', 'page_view')] }],
  ])('rejects %s with 400, writing nothing', async (_what, body) => {
    const response = await postEvents(body);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ message: expect.any(String) });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await postEvents('page_view', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });
});

describe('the clickstream stream', () => {
  it('takes records shaped as POST /events writes them: the event, when and from where it came', async () => {
    const receivedAt = Date.now();
    const answer = await kinesis.send(
      new PutRecordsCommand({
        StreamName: clickstreamStreamName,
        Records: buying.map((shopEvent) => ({
          PartitionKey: shopEvent.sessionId,
          Data: Buffer.from(
            JSON.stringify({ event: shopEvent, receivedAt, sourceIp: '192.0.2.10', userAgent: BROWSER }),
          ),
        })),
      }),
    );
    expect(answer.FailedRecordCount ?? 0).toBe(0);
    expect(answer.Records).toHaveLength(buying.length);
  });
});

describe('GET /analytics/realtime', () => {
  it('answers 401 without a signed-in user', async () => {
    const response = await api('analytics/realtime');
    expect(response.status).toBe(401);
  });

  it('answers 403 to a shopper who is not shop staff', async () => {
    const response = await api('analytics/realtime', { as: users.shopper });
    expect(response.status).toBe(403);
    expect(await json(response)).toEqual({ message: expect.any(String), requestId: expect.any(String) });
  });

  it('rejects a window of more than 180 minutes with 400', async () => {
    const response = await api('analytics/realtime?minutes=181', { as: users.admin });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ path: 'minutes', message: expect.any(String) }]);
  });

  it(
    "shows shop staff this run's views, add-to-carts and purchase, from both ways in",
    async () => {
      const dashboard = await eventually(
        async () => {
          const response = await api('analytics/realtime?minutes=15', { as: users.admin });
          expect(response.status).toBe(200);
          expect(response.headers.get('cache-control')).toBe('no-store');
          const body = await json(response);
          expect(body.topProducts).toContainEqual(expectedActivity);
          return body;
        },
        { within: seconds(120), every: seconds(3), what: `the live figures of product ${productId}` },
      );
      // Other shoppers may be active too: the minutes of this run (from a minute before it started, for
      // the difference between this machine's clock and the server's) count at least this run's events.
      const firstMinute = new Date(startedAt.getTime() - 60_000).toISOString().slice(0, 16);
      const sinceStart = dashboard.series.filter(
        (minute: { minute: string }) => minute.minute >= firstMinute,
      );
      const sum = (counter: string) =>
        sinceStart.reduce((total: number, minute: Record<string, number>) => total + minute[counter]!, 0);
      expect(sum('productViews')).toBeGreaterThanOrEqual(expectedActivity.views);
      expect(sum('addToCarts')).toBeGreaterThanOrEqual(expectedActivity.addToCarts);
      expect(sum('purchases')).toBeGreaterThanOrEqual(expectedActivity.purchases);
      expect(sum('revenue')).toBeGreaterThanOrEqual(1999);
      expect(dashboard.funnel).toMatchObject({
        productViews: expect.any(Number),
        addToCarts: expect.any(Number),
        purchases: expect.any(Number),
        rates: expect.any(Object),
      });
    },
    seconds(150),
  );
});

describe('the analytics lake', () => {
  it(
    'holds every event of this run, enriched, under the lake prefix',
    async () => {
      const sent = [...browsing, ...buying];
      const seen = new Map<string, LakeEvent[]>();
      const found = await eventually(
        async () => {
          const events = (await lakeEventsSince(startedAt, seen)).filter((lakeEvent) =>
            sent.some((shopEvent) => shopEvent.eventId === lakeEvent.eventId),
          );
          expect(new Set(events.map((lakeEvent) => lakeEvent.eventId))).toEqual(
            new Set(sent.map((shopEvent) => shopEvent.eventId)),
          );
          return events;
        },
        // Firehose writes an object when its buffer interval ends (a minute in dev and staging).
        {
          within: seconds(180),
          every: seconds(5),
          what: `the ${sent.length} events of this run in the lake`,
        },
      );
      for (const shopEvent of sent) {
        expect(found.find((lakeEvent) => lakeEvent.eventId === shopEvent.eventId)).toMatchObject({
          ...shopEvent,
          serverTime: expect.any(String),
          userAgent: BROWSER,
          isBot: false,
          eventDate: expect.stringMatching(/^year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}$/),
        });
      }
    },
    seconds(240),
  );
});
