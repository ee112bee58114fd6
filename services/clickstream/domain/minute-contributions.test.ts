import { comparableSequenceNumber, SESSION_BUCKETS } from '../../analytics/domain/minute-aggregates';
import type { EnrichedEvent } from './enriched-event';
import { contributionsByItem, pendingAddition, type CountedEvent } from './minute-contributions';
import { sessionBucketOf } from './session-buckets';

let nextSequence = 100;
function counted(event: Partial<EnrichedEvent> & Pick<EnrichedEvent, 'type'>): CountedEvent {
  nextSequence += 1;
  return {
    sequenceNumber: `4960${nextSequence}`,
    event: {
      eventId: crypto.randomUUID(),
      sessionId: 'session-1',
      timestamp: '2026-11-25T20:34:05.000Z',
      serverTime: '2026-11-25T20:34:05.100Z',
      isBot: false,
      eventDate: 'year=2026/month=11/day=25/hour=20',
      ...event,
    } as EnrichedEvent,
  };
}

const itemsById = (events: CountedEvent[], appliedPosition?: string) =>
  Object.fromEntries(
    contributionsByItem(events).map((item) => [
      `${item.pk}|${item.sk}`,
      pendingAddition(item, appliedPosition).counters,
    ]),
  );

describe('minute contributions', () => {
  it('adds every event to the minute it was received in, and product events to the product too', () => {
    const events = [
      counted({ type: 'page_view' }),
      counted({ type: 'product_view', productId: 'p-mug' }),
      counted({ type: 'add_to_cart', productId: 'p-mug', quantity: 2 }),
      counted({ type: 'remove_from_cart', productId: 'p-mug' }),
      counted({ type: 'search', query: 'mug' }),
      counted({ type: 'checkout_start' }),
      counted({ type: 'purchase', productId: 'p-mug', price: 1_250, quantity: 2, orderId: 'o-1' }),
      // Received a minute later; the browser's clock says otherwise, and does not count.
      counted({
        type: 'product_view',
        productId: 'p-tea',
        timestamp: '2026-11-25T20:34:59.000Z',
        serverTime: '2026-11-25T20:35:00.200Z',
      }),
    ];

    expect(itemsById(events)).toEqual({
      'MINUTE#2026-11-25T20:34|TOTALS': {
        pageViews: 1,
        productViews: 1,
        addToCarts: 1,
        removeFromCarts: 1,
        searches: 1,
        checkouts: 1,
        purchases: 1,
        revenue: 2_500,
      },
      'MINUTE#2026-11-25T20:34|PRODUCT#p-mug': { views: 1, addToCarts: 1, purchases: 1 },
      'MINUTE#2026-11-25T20:35|TOTALS': { productViews: 1 },
      'MINUTE#2026-11-25T20:35|PRODUCT#p-tea': { views: 1 },
    });
  });

  it('puts each session of a minute in its bucket once', () => {
    const events = [
      counted({ type: 'page_view', sessionId: 'a' }),
      counted({ type: 'page_view', sessionId: 'b' }),
      counted({ type: 'search', sessionId: 'a', query: 'tea' }),
    ];
    const [totals] = contributionsByItem(events);

    expect(pendingAddition(totals!).sessionBuckets).toEqual([sessionBucketOf('a'), sessionBucketOf('b')]);
  });

  it('leaves out the records at or before the position an item already counts', () => {
    const events = [
      counted({ type: 'page_view' }),
      counted({ type: 'page_view' }),
      counted({ type: 'product_view', productId: 'p-mug' }),
    ];
    const position = comparableSequenceNumber(events[1]!.sequenceNumber);
    const [totals] = contributionsByItem(events);

    expect(pendingAddition(totals!, position)).toEqual({
      counters: { productViews: 1 },
      sessionBuckets: [sessionBucketOf('session-1')],
      sequenceNumbers: [events[2]!.sequenceNumber],
    });
  });

  it('compares sequence numbers as numbers, not as strings of different lengths', () => {
    const short = { ...counted({ type: 'page_view' }), sequenceNumber: '99' };
    const long = { ...counted({ type: 'page_view' }), sequenceNumber: '100' };
    const [totals] = contributionsByItem([short, long]);

    expect(pendingAddition(totals!, comparableSequenceNumber('99')).sequenceNumbers).toEqual(['100']);
  });

  it('has nothing to add to an item that counts every record already', () => {
    const events = [counted({ type: 'page_view' }), counted({ type: 'search', query: 'mug' })];
    const [totals] = contributionsByItem(events);

    expect(pendingAddition(totals!, comparableSequenceNumber(events[1]!.sequenceNumber))).toEqual({
      counters: {},
      sessionBuckets: [],
      sequenceNumbers: [],
    });
  });

  it('hashes a session id to the same bucket every time, within the contract’s range', () => {
    const buckets = Array.from({ length: 1_000 }, (_, index) => Number(sessionBucketOf(`session-${index}`)));

    expect(sessionBucketOf('session-42')).toBe(sessionBucketOf('session-42'));
    expect(
      buckets.every((bucket) => Number.isInteger(bucket) && bucket >= 0 && bucket < SESSION_BUCKETS),
    ).toBe(true);
    expect(new Set(buckets).size).toBeGreaterThan(850);
  });
});
