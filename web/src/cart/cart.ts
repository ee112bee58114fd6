import type { Product } from '../api/shop-api';

/** The limits of one order (services/orders/domain/order.ts): the cart keeps within them. */
export const MAX_QUANTITY = 100;
export const MAX_LINES = 50;

/** One product in the cart, with what the shopper saw of it; the server prices the order again. */
export interface CartLine {
  readonly productId: string;
  readonly name: string;
  /** Minor units (cents), as shown when the product was added. */
  readonly unitPrice: number;
  readonly currency: string;
  readonly imagePath: string;
  readonly quantity: number;
}

export interface Cart {
  readonly lines: readonly CartLine[];
}

export const EMPTY_CART: Cart = { lines: [] };

/** The cart was full: the shopper is told why nothing changed. */
export class CartLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CartLimitError';
  }
}

/** Adds units of a product: a new line, or more of a line already there (at most MAX_QUANTITY). */
export function addToCart(cart: Cart, product: Product, quantity = 1): Cart {
  const line = cart.lines.find((candidate) => candidate.productId === product.productId);
  if (line) return setQuantity(cart, product.productId, Math.min(MAX_QUANTITY, line.quantity + quantity));
  if (cart.lines.length >= MAX_LINES) {
    throw new CartLimitError(`An order takes at most ${MAX_LINES} different products.`);
  }
  const added: CartLine = {
    productId: product.productId,
    name: product.name,
    unitPrice: product.price,
    currency: product.currency,
    imagePath: product.imagePath,
    quantity: clampQuantity(quantity),
  };
  return { lines: [...cart.lines, added] };
}

/** Sets a line's quantity, within 1 to MAX_QUANTITY; 0 or less removes the line. */
export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!Number.isFinite(quantity)) return cart;
  if (quantity <= 0) return removeFromCart(cart, productId);
  return {
    lines: cart.lines.map((line) =>
      line.productId === productId ? { ...line, quantity: clampQuantity(quantity) } : line,
    ),
  };
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return { lines: cart.lines.filter((line) => line.productId !== productId) };
}

/** How many units the cart holds, for the header's badge. */
export function itemCount(cart: Cart): number {
  return cart.lines.reduce((count, line) => count + line.quantity, 0);
}

/**
 * What the cart comes to at the prices shown, per currency (a catalog may sell in more than one).
 * An estimate: the order's total is the one the server computes at checkout.
 */
export function subtotals(cart: Cart): { readonly currency: string; readonly amount: number }[] {
  const sums = new Map<string, number>();
  for (const line of cart.lines) {
    sums.set(line.currency, (sums.get(line.currency) ?? 0) + line.unitPrice * line.quantity);
  }
  return [...sums].map(([currency, amount]) => ({ currency, amount }));
}

/** A cart read back from storage, keeping only well-formed lines (storage is user-editable). */
export function parseCart(value: unknown): Cart {
  const lines = (value as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return EMPTY_CART;
  const valid = lines.filter(
    (line): line is CartLine =>
      typeof line === 'object' &&
      line !== null &&
      typeof line.productId === 'string' &&
      typeof line.name === 'string' &&
      Number.isInteger(line.unitPrice) &&
      typeof line.currency === 'string' &&
      typeof line.imagePath === 'string' &&
      Number.isInteger(line.quantity) &&
      line.quantity >= 1,
  );
  return {
    lines: valid.slice(0, MAX_LINES).map((line) => ({ ...line, quantity: clampQuantity(line.quantity) })),
  };
}

function clampQuantity(quantity: number): number {
  return Math.max(1, Math.min(MAX_QUANTITY, Math.trunc(quantity)));
}
