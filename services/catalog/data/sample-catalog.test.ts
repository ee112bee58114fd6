import { productSchema } from '../domain/product';
import { buildSampleCatalog, SAMPLE_CATALOG } from './sample-catalog';

describe('the sample catalog', () => {
  it('holds at least 120 products over at least 8 categories', () => {
    expect(SAMPLE_CATALOG.length).toBeGreaterThanOrEqual(120);
    expect(new Set(SAMPLE_CATALOG.map((product) => product.category)).size).toBeGreaterThanOrEqual(8);
  });

  it('holds only products the domain schema accepts', () => {
    const problems = SAMPLE_CATALOG.flatMap((product) => {
      const result = productSchema.safeParse(product);
      return result.success ? [] : [`${product.productId}: ${result.error.message}`];
    });
    expect(problems).toEqual([]);
  });

  it('gives every product its own id, and every product of a category its own name', () => {
    const ids = SAMPLE_CATALOG.map((product) => product.productId);
    expect(new Set(ids).size).toBe(ids.length);
    const namesInCategories = SAMPLE_CATALOG.map((product) => `${product.category}/${product.name}`);
    expect(new Set(namesInCategories).size).toBe(namesInCategories.length);
  });

  it('prices every product above zero in whole US cents', () => {
    for (const product of SAMPLE_CATALOG) {
      expect(product).toMatchObject({ currency: 'USD', price: expect.any(Number) });
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
    }
  });

  it('points every product at the picture named after its id', () => {
    for (const product of SAMPLE_CATALOG) {
      expect(product.imagePath).toBe(`/images/products/${product.productId}.svg`);
    }
  });

  it('describes products in full sentences that differ from one product to the next', () => {
    for (const product of SAMPLE_CATALOG) expect(product.description).toMatch(/^[A-Z].*\.$/);
    expect(new Set(SAMPLE_CATALOG.map((product) => product.description)).size).toBe(SAMPLE_CATALOG.length);
  });

  it('has products in stock and a few sold out', () => {
    const soldOut = SAMPLE_CATALOG.filter((product) => product.stock === 0);
    expect(soldOut.length).toBeGreaterThan(0);
    expect(soldOut.length).toBeLessThan(SAMPLE_CATALOG.length / 5);
  });

  it('is built the same on every run, so ids, prices and stock stay stable', () => {
    expect(buildSampleCatalog()).toEqual(SAMPLE_CATALOG);
    expect(SAMPLE_CATALOG.find((product) => product.productId === 'kit-0002')).toEqual({
      productId: 'kit-0002',
      name: 'Cast-Iron Skillet, Pro',
      description:
        'Pre-seasoned cast iron that goes from stovetop to oven and holds its heat for an even sear. ' +
        'Built heavier and finished by hand for cooks who use it every day.',
      category: 'kitchen',
      price: 4699,
      currency: 'USD',
      imagePath: '/images/products/kit-0002.svg',
      stock: 21,
    });
  });
});
