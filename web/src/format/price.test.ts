import { formatPrice } from './price';

describe('formatPrice', () => {
  it('formats cents as dollars with two decimals', () => {
    expect(formatPrice(4699, 'USD', 'en-US')).toBe('$46.99');
    expect(formatPrice(99, 'USD', 'en-US')).toBe('$0.99');
    expect(formatPrice(123456789, 'USD', 'en-US')).toBe('$1,234,567.89');
  });

  it("uses each currency's own minor unit: yen have none, dinars three", () => {
    expect(formatPrice(4699, 'JPY', 'en-US')).toBe('¥4,699');
    expect(formatPrice(1500, 'KWD', 'en-US')).toBe('KWD\u00a01.500');
  });

  it("follows the shopper's locale", () => {
    expect(formatPrice(4699, 'EUR', 'de-DE')).toBe('46,99\u00a0€');
  });

  it('formats zero', () => {
    expect(formatPrice(0, 'USD', 'en-US')).toBe('$0.00');
  });
});
