import type { Product } from '../api/shop-api';
import {
  addToCart,
  CartLimitError,
  EMPTY_CART,
  itemCount,
  MAX_LINES,
  MAX_QUANTITY,
  parseCart,
  removeFromCart,
  setQuantity,
  subtotals,
} from './cart';

const product = (productId: string, price = 1999, currency = 'USD'): Product => ({
  productId,
  name: `Product ${productId}`,
  description: 'A product.',
  category: 'kitchen',
  price,
  currency,
  imagePath: `/images/products/${productId}.svg`,
  stock: 10,
});

describe('the cart', () => {
  it('adds a product as a new line with its name, price and picture', () => {
    const cart = addToCart(EMPTY_CART, product('kit-0001'));
    expect(cart.lines).toEqual([
      {
        productId: 'kit-0001',
        name: 'Product kit-0001',
        unitPrice: 1999,
        currency: 'USD',
        imagePath: '/images/products/kit-0001.svg',
        quantity: 1,
      },
    ]);
  });

  it('adds to the quantity of a product already in the cart, up to the most an order takes', () => {
    let cart = addToCart(EMPTY_CART, product('kit-0001'), 2);
    cart = addToCart(cart, product('kit-0001'), 3);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]?.quantity).toBe(5);
    expect(addToCart(cart, product('kit-0001'), 500).lines[0]?.quantity).toBe(MAX_QUANTITY);
  });

  it('refuses a product beyond the most lines an order takes, saying why', () => {
    let cart = EMPTY_CART;
    for (let index = 0; index < MAX_LINES; index++) cart = addToCart(cart, product(`kit-${index}`));
    expect(() => addToCart(cart, product('kit-extra'))).toThrow(CartLimitError);
    expect(() => addToCart(cart, product('kit-extra'))).toThrow('at most 50 different products');
  });

  it('edits a quantity within 1 to 100, and removes the line at 0', () => {
    const cart = addToCart(addToCart(EMPTY_CART, product('a')), product('b'));
    expect(setQuantity(cart, 'a', 4).lines.map((line) => line.quantity)).toEqual([4, 1]);
    expect(setQuantity(cart, 'a', 250).lines[0]?.quantity).toBe(100);
    expect(setQuantity(cart, 'a', 2.7).lines[0]?.quantity).toBe(2);
    expect(setQuantity(cart, 'a', 0).lines.map((line) => line.productId)).toEqual(['b']);
    expect(setQuantity(cart, 'a', Number.NaN)).toBe(cart);
  });

  it('removes a line', () => {
    const cart = addToCart(addToCart(EMPTY_CART, product('a')), product('b'));
    expect(removeFromCart(cart, 'b').lines.map((line) => line.productId)).toEqual(['a']);
  });

  it('counts units and sums each currency at the prices shown', () => {
    let cart = addToCart(EMPTY_CART, product('a', 1000), 2);
    cart = addToCart(cart, product('b', 250), 3);
    cart = addToCart(cart, product('c', 500, 'EUR'));
    expect(itemCount(cart)).toBe(6);
    expect(subtotals(cart)).toEqual([
      { currency: 'USD', amount: 2750 },
      { currency: 'EUR', amount: 500 },
    ]);
    expect(subtotals(EMPTY_CART)).toEqual([]);
  });

  it('reads back only well-formed lines from storage', () => {
    const good = addToCart(EMPTY_CART, product('a')).lines[0];
    expect(parseCart({ lines: [good, { productId: 'b' }, null, { ...good, quantity: 0 }] })).toEqual({
      lines: [good],
    });
    expect(parseCart({ lines: [{ ...good, quantity: 1000 }] }).lines[0]?.quantity).toBe(100);
    expect(parseCart('nonsense')).toEqual(EMPTY_CART);
    expect(parseCart(null)).toEqual(EMPTY_CART);
  });
});
