import { hitRates } from './offline-evaluation';
import { syntheticShop } from './synthetic-shop';

describe('the synthetic shop', () => {
  it('is the same shop, event for event, for the same seed', () => {
    expect(syntheticShop({ seed: 7, users: 50 })).toEqual(syntheticShop({ seed: 7, users: 50 }));
    expect(syntheticShop({ seed: 8, users: 50 }).events).not.toEqual(
      syntheticShop({ seed: 7, users: 50 }).events,
    );
  });

  it('has shoppers buy mostly in their preferred categories, and never the same product twice', () => {
    const shop = syntheticShop({ seed: 1, users: 300 });
    const categoryOf = new Map(shop.products.map((product) => [product.productId, product.category]));
    const preferred = new Map(shop.shoppers.map((s) => [s.userId, new Set(s.preferredCategories)]));
    const purchases = shop.events.filter((event) => event.type === 'purchase');
    const inPreferred = purchases.filter((p) => preferred.get(p.userId)?.has(categoryOf.get(p.productId)!));
    const bought = purchases.map((p) => `${p.userId}/${p.productId}`);

    expect(
      shop.shoppers.every((s) => s.preferredCategories.length >= 1 && s.preferredCategories.length <= 3),
    ).toBe(true);
    expect(inPreferred.length / purchases.length).toBeGreaterThan(0.6);
    expect(new Set(bought).size).toBe(bought.length);
  });
});

describe('the real-time for-you list, checked offline on a synthetic shop (seed 1, 500 shoppers)', () => {
  const rates = hitRates(syntheticShop({ seed: 1, users: 500 }));

  it('holds out a purchase session of most shoppers', () => {
    expect(rates.users).toBeGreaterThan(400);
    expect(rates.heldOutPurchases).toBeGreaterThan(rates.users);
  });

  it('faces a strong baseline: the popular top 10 alone finds a third of the held-out purchases', () => {
    expect(rates.popular).toBeGreaterThan(0.3);
    expect(rates.popularMinusPurchased).toBeGreaterThan(0.3);
  });

  it('finds more held-out purchases in its top 10 than the static popular list, with or without what was bought', () => {
    expect(rates.forYou).toBeGreaterThan(rates.popular);
    expect(rates.forYou).toBeGreaterThan(rates.popularMinusPurchased);
  });

  it('does not beat popularity when shoppers have no category preferences (the check can tell)', () => {
    const control = hitRates(syntheticShop({ seed: 1, users: 500, preferenceStrength: 0 }));

    expect(control.forYou).toBeLessThan(control.popularMinusPurchased);
  });
});
