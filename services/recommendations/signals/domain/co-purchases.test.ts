import { coPurchasesOf, MAX_PRODUCTS_COUNTED } from './co-purchases';
import { countCoPurchases, type OrderChange } from './count-co-purchases';
import type { CoPurchaseCounts } from './ports';

const pairsOf = (productIds: string[]) =>
  coPurchasesOf({ orderId: 'o-1', productIds }).pairs.map(
    (pair) => `${pair.productId}+${pair.otherProductId}`,
  );

describe('the co-purchases of an order', () => {
  it('pairs every two distinct products of the order, in both directions', () => {
    expect(pairsOf(['mug', 'kettle', 'tea'])).toEqual([
      'mug+kettle',
      'mug+tea',
      'kettle+mug',
      'kettle+tea',
      'tea+mug',
      'tea+kettle',
    ]);
  });

  it('has no pairs for an order of one product, however many lines name it', () => {
    expect(pairsOf(['mug'])).toEqual([]);
    expect(pairsOf(['mug', 'mug'])).toEqual([]);
  });

  it('pairs only the first 10 distinct products of a larger order, so that one transaction holds them', () => {
    const productIds = Array.from({ length: 14 }, (_, index) => `p-${index}`);

    const coPurchases = coPurchasesOf({ orderId: 'o-big', productIds });

    expect(MAX_PRODUCTS_COUNTED).toBe(10);
    expect(coPurchases.products).toEqual(productIds.slice(0, 10));
    expect(coPurchases.pairs).toHaveLength(90);
    expect(coPurchases.leftOut).toBe(4);
    // The marker and the counters: DynamoDB takes at most 100 items in a transaction.
    expect(coPurchases.pairs.length + 1).toBeLessThanOrEqual(100);
  });
});

describe('counting the co-purchases of a batch of order changes', () => {
  const now = new Date('2026-11-25T10:00:00.000Z');

  it('says what became of each change, in order, and writes only orders with pairs', async () => {
    const added: string[] = [];
    const counts: CoPurchaseCounts = {
      add: async (order) => {
        added.push(order.orderId);
        if (order.orderId === 'o-again') return 'already-counted';
        if (order.orderId === 'o-throttled')
          throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        return 'counted';
      },
    };
    const changes: OrderChange[] = [
      { kind: 'placed', order: { orderId: 'o-new', productIds: ['a', 'b'] } },
      { kind: 'ignored' },
      { kind: 'placed', order: { orderId: 'o-single', productIds: ['a'] } },
      { kind: 'poison', reason: 'not an order' },
      { kind: 'placed', order: { orderId: 'o-again', productIds: ['a', 'c'] } },
      { kind: 'placed', order: { orderId: 'o-throttled', productIds: ['b', 'c'] } },
    ];

    const outcomes = await countCoPurchases(changes, counts, { now });

    expect(outcomes).toEqual([
      { kind: 'counted', orderId: 'o-new', pairs: 2, leftOut: 0 },
      { kind: 'ignored' },
      { kind: 'no-pairs', orderId: 'o-single' },
      { kind: 'poison', reason: 'not an order' },
      { kind: 'already-counted', orderId: 'o-again' },
      { kind: 'failed', orderId: 'o-throttled', reason: 'ThrottlingException: slow down' },
    ]);
    expect(added.sort()).toEqual(['o-again', 'o-new', 'o-throttled']);
  });
});
