import type { SearchIndex } from '../../search/search-index';
import { ProductIndexingError } from './errors';
import type { Product } from './product';
import type { ProductStore } from './product-store';

/** What loading a catalog needs from the search port. */
export type ProductIndex = Pick<SearchIndex, 'indexProducts'>;

/**
 * Writes the products to the store (the source of truth), then indexes them for search. Both
 * steps replace products by id, so loading the same catalog again changes nothing.
 * @throws ProductIndexingError naming every product the index refused.
 */
export async function loadCatalog(
  products: readonly Product[],
  store: ProductStore,
  search: ProductIndex,
): Promise<{ productCount: number }> {
  await store.putAll(products);
  const { failed } = await search.indexProducts(products);
  if (failed.length > 0) throw new ProductIndexingError(failed);
  return { productCount: products.length };
}
