/** The shopping steps the funnel follows, as counted in a minute's totals. */
export interface FunnelCounts {
  readonly productViews: number;
  readonly addToCarts: number;
  readonly checkouts: number;
  readonly purchases: number;
}

export interface ConversionFunnel extends FunnelCounts {
  /** Each as a fraction from 0 to 1; 0 when the earlier step has no events. */
  readonly rates: {
    readonly viewToCart: number;
    readonly cartToCheckout: number;
    readonly checkoutToPurchase: number;
    readonly viewToPurchase: number;
  };
}

/**
 * The funnel of a window: each step summed over its minutes, and how many of one step's events a
 * later step has. A window can cut a shopper's path (the checkout in the minute before the window,
 * the purchase inside it), so a later step can outnumber an earlier one; a rate is capped at 1.
 */
export function conversionFunnel(minutes: readonly FunnelCounts[]): ConversionFunnel {
  const sum = (step: keyof FunnelCounts) => minutes.reduce((total, minute) => total + minute[step], 0);
  const productViews = sum('productViews');
  const addToCarts = sum('addToCarts');
  const checkouts = sum('checkouts');
  const purchases = sum('purchases');
  return {
    productViews,
    addToCarts,
    checkouts,
    purchases,
    rates: {
      viewToCart: rate(addToCarts, productViews),
      cartToCheckout: rate(checkouts, addToCarts),
      checkoutToPurchase: rate(purchases, checkouts),
      viewToPurchase: rate(purchases, productViews),
    },
  };
}

function rate(later: number, earlier: number): number {
  return earlier > 0 ? Math.min(1, later / earlier) : 0;
}
