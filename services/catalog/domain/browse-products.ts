import { z } from 'zod';
import type { ProductDocument, SearchIndex } from '../../search/search-index';
import { InvalidPositionError } from './errors';
import type { Product } from './product';
import type { ListPosition, ProductPage, ProductStore } from './product-store';

/** What browsing needs from the search port. */
export type ProductSearch = Pick<SearchIndex, 'searchProducts'>;

export interface BrowseProductsQuery {
  readonly category?: string;
  /** Free text: with it, the products come from the search index, best match first. */
  readonly text?: string;
  readonly limit: number;
  /** Where the previous page stopped, as a page of the same query returned it. */
  readonly position?: ListPosition;
}

/** A position in search results: how many matches the pages so far have shown. */
const searchPositionSchema = z.strictObject({ offset: z.number().int().nonnegative() });

/**
 * One page of the catalog: search results when there is text to match, otherwise the store's
 * listing (by name within a category).
 * @throws InvalidPositionError when the position was not issued for this kind of query.
 * @throws SearchUnavailableError (from the search port) when the search engine cannot answer.
 */
export async function browseProducts(
  query: BrowseProductsQuery,
  sources: { readonly store: ProductStore; readonly search: ProductSearch },
): Promise<ProductPage> {
  const { category, text, limit, position } = query;
  if (text === undefined) return sources.store.list({ category, limit, position });

  const offset = searchOffset(position);
  const { products, total } = await sources.search.searchProducts({ text, category, limit, offset });
  const shown = offset + products.length;
  return {
    products: products.map(productFromDocument),
    ...(products.length > 0 && shown < total && { nextPosition: { offset: shown } }),
  };
}

function searchOffset(position: ListPosition | undefined): number {
  if (position === undefined) return 0;
  const parsed = searchPositionSchema.safeParse(position);
  if (!parsed.success) throw new InvalidPositionError('not a position in search results');
  return parsed.data.offset;
}

/** The product fields of a search document, and nothing else the engine may have added. */
function productFromDocument(document: ProductDocument): Product {
  const { productId, name, description, category, price, currency, imagePath, stock } = document;
  return { productId, name, description, category, price, currency, imagePath, stock };
}
