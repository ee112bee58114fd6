import { conversionFunnel, type FunnelCounts } from './conversion-funnel';

const minute = (
  productViews: number,
  addToCarts: number,
  checkouts: number,
  purchases: number,
): FunnelCounts => ({
  productViews,
  addToCarts,
  checkouts,
  purchases,
});

describe('conversionFunnel', () => {
  it('sums each step over the window and gives the rate from each step to the next, and overall', () => {
    const funnel = conversionFunnel([minute(120, 30, 12, 5), minute(80, 10, 8, 5)]);
    expect(funnel).toEqual({
      productViews: 200,
      addToCarts: 40,
      checkouts: 20,
      purchases: 10,
      rates: { viewToCart: 0.2, cartToCheckout: 0.5, checkoutToPurchase: 0.5, viewToPurchase: 0.05 },
    });
  });

  it('gives a rate of 0 when the earlier step has no events', () => {
    expect(conversionFunnel([minute(0, 0, 0, 0)]).rates).toEqual({
      viewToCart: 0,
      cartToCheckout: 0,
      checkoutToPurchase: 0,
      viewToPurchase: 0,
    });
  });

  it('is all zeros for an empty window', () => {
    expect(conversionFunnel([])).toMatchObject({
      productViews: 0,
      addToCarts: 0,
      checkouts: 0,
      purchases: 0,
    });
  });

  it('caps a rate at 1 when the window cuts paths short, so that a later step outnumbers an earlier one', () => {
    const { rates } = conversionFunnel([minute(10, 4, 1, 3)]);
    expect(rates.checkoutToPurchase).toBe(1);
    expect(rates.viewToPurchase).toBeCloseTo(0.3);
  });
});
