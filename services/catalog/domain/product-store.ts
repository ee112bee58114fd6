import type { Product } from './product';

/**
 * Where a listing stopped: opaque to callers, who hand back what a page returned to get the next
 * one. Only positions the store returned for the same query are valid.
 */
export type ListPosition = Readonly<Record<string, unknown>>;

export interface ListProductsQuery {
  /** Only this category's products, sorted by name; without it, every product in no set order. */
  readonly category?: string;
  /** At most this many products on the page. */
  readonly limit: number;
  /** Where the previous page stopped; without it, the first page. */
  readonly position?: ListPosition;
}

export interface ProductPage {
  readonly products: Product[];
  /** Where to continue; absent on the last page. */
  readonly nextPosition?: ListPosition;
}

/** The catalog's storage, owned by the domain; adapters implement it (DynamoDB in AWS and locally). */
export interface ProductStore {
  /** The product, or `undefined` when there is none with this id. */
  get(productId: string): Promise<Product | undefined>;
  /** The products that exist among `productIds`, in the order asked for; unknown ids are left out. */
  getMany(productIds: readonly string[]): Promise<Product[]>;
  /**
   * One page of products.
   * @throws InvalidPositionError when `position` is not one this store returned for this query.
   */
  list(query: ListProductsQuery): Promise<ProductPage>;
  /** Creates or replaces the products, keyed by `productId` (idempotent). */
  putAll(products: readonly Product[]): Promise<void>;
}
