import type { Product } from '../domain/product';
import { PRODUCT_LINES, type ProductKind, type ProductLine, type ProductVariant } from './product-lines';

/**
 * The sample catalog the platform starts with: every kind of every product line in every variant
 * of its line (10 categories × 5 kinds × 3 variants = 150 products). Built the same way on every
 * run, so product ids, prices and stock are stable across deployments and tests.
 */
export function buildSampleCatalog(lines: readonly ProductLine[] = PRODUCT_LINES): Product[] {
  return lines.flatMap((line, lineNumber) =>
    line.kinds.flatMap((kind, kindNumber) =>
      line.variants.map((variant, variantNumber) => {
        const number = kindNumber * line.variants.length + variantNumber + 1;
        return sampleProduct(line, kind, variant, number, lineNumber);
      }),
    ),
  );
}

function sampleProduct(
  line: ProductLine,
  kind: ProductKind,
  variant: ProductVariant,
  number: number,
  lineNumber: number,
): Product {
  const productId = `${line.idPrefix}-${String(number).padStart(4, '0')}`;
  return {
    productId,
    name: `${kind.name}, ${variant.label}`,
    description: `${kind.description} ${variant.description}`,
    category: line.category,
    price: shelfPrice(kind.basePrice * variant.priceFactor),
    currency: 'USD',
    imagePath: `/images/products/${productId}.svg`,
    stock: sampleStock(number, lineNumber),
  };
}

/** Rounded to the whole dollar, less a cent: 3499 × 1.35 = 4723.65 gives 4699. */
function shelfPrice(cents: number): number {
  return Math.max(99, Math.round(cents / 100) * 100 - 1);
}

/** Every eleventh product of a line is sold out; the others have between 4 and 60 units. */
function sampleStock(number: number, lineNumber: number): number {
  return number % 11 === 0 ? 0 : 4 + ((number * 37 + lineNumber * 13) % 57);
}

export const SAMPLE_CATALOG: readonly Product[] = buildSampleCatalog();
