import { SAMPLE_CATALOG } from '../../../services/catalog/data/sample-catalog';
import { CATEGORIES, categoryLabel } from './categories';

describe('the categories the navigation shows', () => {
  it('are those of the catalog the platform seeds, each once', () => {
    const seeded = [...new Set(SAMPLE_CATALOG.map((product) => product.category))];
    expect(CATEGORIES.map((category) => category.slug)).toEqual(seeded);
  });

  it('have labels, and an unknown category reads as words', () => {
    expect(categoryLabel('home-office')).toBe('Home office');
    expect(categoryLabel('pet-supplies')).toBe('Pet supplies');
  });
});
