import type { AggregateBatch, ClickstreamSinks, QuarantineBatch } from './ports';
import { processClickstreamBatch } from './process-clickstream-batch';
import type { StreamRecord } from './stream-record';

/** Sinks that keep what they are given and take everything. */
function recordingSinks() {
  const applied: AggregateBatch[] = [];
  const quarantined: QuarantineBatch[] = [];
  const lines: string[] = [];
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
    quarantine: {
      store: async (batch) => {
        quarantined.push(batch);
      },
    },
  };
  return { sinks, applied, quarantined, lines };
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
});
