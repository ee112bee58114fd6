/** Formats an amount in minor units (cents) for a shopper: `formatPrice(4699, 'USD')` gives `$46.99`. */
export function formatPrice(minorUnits: number, currency: string, locale?: string): string {
  const format = priceFormat(currency, locale);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

const formats = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat is costly to build: one per currency and locale. */
function priceFormat(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}/${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}
