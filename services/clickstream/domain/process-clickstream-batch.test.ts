import type { AggregateBatch, ClickstreamSinks, QuarantineBatch } from './ports';
import type { UserProductActivity } from './user-activity';
import { BOT_USER_AGENT } from '../testing/shop-traffic';
import { processClickstreamBatch } from './process-clickstream-batch';
import type { StreamRecord } from './stream-record';

/** Sinks that keep what they are given and take everything. */
function recordingSinks() {
  const applied: AggregateBatch[] = [];
  const quarantined: QuarantineBatch[] = [];
  const lines: string[] = [];
  const activities: UserProductActivity[] = [];
  const sinks: ClickstreamSinks = {
    delivery: {
      deliver: async (records) => {
        lines.push(...records.map((record) => record.line));
        return { failed: [] };
      },
    },
    tracker: { track: () => Promise.reject(new Error('Personalize is down')) },
    aggregates: {
      apply: async (batch) => {
        applied.push(batch);
        return { failed: [], newlyCounted: {} };
      },
    },
    userActivity: {
      record: async (batch) => {
        activities.push(...batch);
        return { written: batch.length, failed: [] };
      },
    },
    quarantine: {
      store: async (batch) => {
        quarantined.push(batch);
      },
    },
  };
  return { sinks, applied, quarantined, lines, activities };
}

let sequence = 0;
function record(shardId: string, data: unknown): StreamRecord {
  sequence += 1;
  return {
    shardId,
    sequenceNumber: String(1_000 + sequence),
    partitionKey: 'session-1',
    data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)).toString('base64'),
    arrivedAt: new Date('2026-11-25T20:34:06.000Z'),
  };
}

const pageView = () => ({
  event: {
    eventId: crypto.randomUUID(),
    type: 'page_view',
    sessionId: 'session-1',
    userId: 'user-1',
    timestamp: '2026-11-25T20:34:05.000Z',
  },
  receivedAt: Date.parse('2026-11-25T20:34:05.100Z'),
});

describe('processing a clickstream batch', () => {
  it('processes the records of each shard as a batch of its own', async () => {
    const { sinks, applied, quarantined } = recordingSinks();
    const records = [
      record('shardId-000000000000', pageView()),
      record('shardId-000000000001', pageView()),
      record('shardId-000000000000', 'not json'),
      record('shardId-000000000001', pageView()),
    ];

    await processClickstreamBatch(records, sinks);

    expect(applied.map(({ shardId, lastSequenceNumber }) => ({ shardId, lastSequenceNumber }))).toEqual([
      { shardId: 'shardId-000000000000', lastSequenceNumber: records[2]!.sequenceNumber },
      { shardId: 'shardId-000000000001', lastSequenceNumber: records[3]!.sequenceNumber },
    ]);
    expect(quarantined.map(({ shardId, firstSequenceNumber }) => ({ shardId, firstSequenceNumber }))).toEqual(
      [{ shardId: 'shardId-000000000000', firstSequenceNumber: records[2]!.sequenceNumber }],
    );
  });

  it('fails no record because the recommender failed, and says how many interactions were lost', async () => {
    const { sinks, lines } = recordingSinks();
    const records = [
      record('shardId-000000000000', pageView()),
      record('shardId-000000000000', {
        ...pageView(),
        event: { ...pageView().event, type: 'product_view', productId: 'p-mug' },
      }),
    ];

    const outcome = await processClickstreamBatch(records, sinks);

    expect(outcome.failed.size).toBe(0);
    expect(lines).toHaveLength(2);
    expect(outcome.interactions).toEqual({ sent: 1, failed: 1, reason: 'Error: Personalize is down' });
  });

  it('reports the records whose sinks failed, with every reason', async () => {
    const { sinks } = recordingSinks();
    const records = [record('shardId-000000000000', pageView()), record('shardId-000000000000', pageView())];
    const failing: ClickstreamSinks = {
      ...sinks,
      delivery: {
        deliver: async ([first]) => ({
          failed: [{ sequenceNumber: first!.sequenceNumber, reason: 'throttled' }],
        }),
      },
      aggregates: { apply: () => Promise.reject(new Error('table gone')) },
    };

    const outcome = await processClickstreamBatch(records, failing);

    expect([...outcome.failed]).toEqual([
      [records[0]!.sequenceNumber, 'throttled; the live aggregates are unavailable: Error: table gone'],
      [records[1]!.sequenceNumber, 'the live aggregates are unavailable: Error: table gone'],
    ]);
    expect(outcome.delivered).toBe(1);
  });

  describe("shoppers' recent activity", () => {
    const productEvent = (
      type: string,
      fields: { userId?: string; productId: string; receivedAt: string },
      userAgent?: string,
    ) => ({
      event: {
        eventId: crypto.randomUUID(),
        type,
        sessionId: 'session-1',
        ...(fields.userId !== undefined && { userId: fields.userId }),
        productId: fields.productId,
        timestamp: '2026-11-25T20:34:05.000Z',
        ...(type === 'purchase' && { price: 1_000, quantity: 1, orderId: 'o-1' }),
      },
      receivedAt: Date.parse(fields.receivedAt),
      ...(userAgent !== undefined && { userAgent }),
    });

    it('writes one activity per signed-in shopper and product, with the latest server time and every type seen', async () => {
      const { sinks, activities } = recordingSinks();
      const shard = 'shardId-000000000000';
      const records = [
        record(
          shard,
          productEvent('product_view', {
            userId: 'u-1',
            productId: 'p-mug',
            receivedAt: '2026-11-25T20:34:10.900Z',
          }),
        ),
        record(
          shard,
          productEvent('add_to_cart', {
            userId: 'u-1',
            productId: 'p-mug',
            receivedAt: '2026-11-25T20:34:30.000Z',
          }),
        ),
        record(
          shard,
          productEvent('product_view', {
            userId: 'u-1',
            productId: 'p-mug',
            receivedAt: '2026-11-25T20:34:20.000Z',
          }),
        ),
        record(
          shard,
          productEvent('purchase', {
            userId: 'u-2',
            productId: 'p-mug',
            receivedAt: '2026-11-25T20:35:00.000Z',
          }),
        ),
        record(
          shard,
          productEvent('product_view', { productId: 'p-tea', receivedAt: '2026-11-25T20:35:00.000Z' }),
        ),
        record(
          shard,
          productEvent(
            'product_view',
            { userId: 'u-3', productId: 'p-tea', receivedAt: '2026-11-25T20:35:00.000Z' },
            BOT_USER_AGENT,
          ),
        ),
        record(shard, pageView()),
      ];

      const outcome = await processClickstreamBatch(records, sinks);

      expect(activities).toEqual([
        {
          userId: 'u-1',
          productId: 'p-mug',
          lastSeenAt: Date.parse('2026-11-25T20:34:30.000Z') / 1000,
          eventTypes: ['product_view', 'add_to_cart'],
          sequenceNumbers: records.slice(0, 3).map((r) => r.sequenceNumber),
        },
        {
          userId: 'u-2',
          productId: 'p-mug',
          lastSeenAt: Date.parse('2026-11-25T20:35:00.000Z') / 1000,
          eventTypes: ['purchase'],
          sequenceNumbers: [records[3]!.sequenceNumber],
        },
      ]);
      expect(outcome.userActivities).toBe(2);
    });

    it('reports the records of the activities that could not be written, and only those', async () => {
      const { sinks } = recordingSinks();
      const shard = 'shardId-000000000000';
      const records = [
        record(
          shard,
          productEvent('product_view', {
            userId: 'u-1',
            productId: 'p-mug',
            receivedAt: '2026-11-25T20:34:10.000Z',
          }),
        ),
        record(shard, pageView()),
      ];
      const failing: ClickstreamSinks = {
        ...sinks,
        userActivity: { record: () => Promise.reject(new Error('table gone')) },
      };

      const outcome = await processClickstreamBatch(records, failing);

      expect([...outcome.failed]).toEqual([
        [records[0]!.sequenceNumber, "the shoppers' activity is unavailable: Error: table gone"],
      ]);
      expect(outcome.userActivities).toBe(0);
    });
  });
});
