import type { Product } from '../../catalog/domain/product';
import type { ProductStore } from '../../catalog/domain/product-store';
import { catalogSnapshot, type CatalogSnapshot } from '../domain/catalog';

/** How long a loaded catalog is used before it is read again. */
export const CATALOG_TTL_MS = 60_000;
/** After a failed reload, how long the catalog read before is used before the next attempt. */
export const CATALOG_RETRY_AFTER_MS = 5_000;
/** Products per page while the catalog is read. */
const PAGE_SIZE = 100;

export interface CatalogCacheProps {
  /** The catalog's store (ProductsTable through catalog's DynamoDbProductStore). */
  readonly store: Pick<ProductStore, 'list'>;
  /** @default CATALOG_TTL_MS */
  readonly ttlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told when a reload fails and the catalog loaded before is used again. @default nothing */
  readonly onStale?: (error: unknown) => void;
}

/**
 * The whole catalog, held in memory for `ttlMs` after it was read (one read per cold start and
 * then at most one a minute: the sample catalog is 150 products, one page). Requests that arrive
 * while it is being read share that read. When a reload fails, the catalog read before goes on
 * serving (and `onStale` is told), with a new attempt every `CATALOG_RETRY_AFTER_MS`; with nothing
 * read before, the failure is thrown.
 */
export class CatalogCache {
  private readonly store: Pick<ProductStore, 'list'>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onStale: (error: unknown) => void;
  private loaded: { readonly snapshot: CatalogSnapshot; readonly freshUntil: number } | undefined;
  private loading: Promise<CatalogSnapshot> | undefined;

  constructor(props: CatalogCacheProps) {
    this.store = props.store;
    this.ttlMs = props.ttlMs ?? CATALOG_TTL_MS;
    this.now = props.now ?? Date.now;
    this.onStale = props.onStale ?? (() => undefined);
  }

  async current(): Promise<CatalogSnapshot> {
    if (this.loaded && this.now() < this.loaded.freshUntil) return this.loaded.snapshot;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    try {
      return await this.loading;
    } catch (error) {
      if (!this.loaded) throw error;
      this.onStale(error);
      this.loaded = { ...this.loaded, freshUntil: this.now() + CATALOG_RETRY_AFTER_MS };
      return this.loaded.snapshot;
    }
  }

  private async load(): Promise<CatalogSnapshot> {
    const products: Product[] = [];
    let position: Readonly<Record<string, unknown>> | undefined;
    do {
      const page = await this.store.list({ limit: PAGE_SIZE, ...(position && { position }) });
      products.push(...page.products);
      position = page.nextPosition;
    } while (position);
    const snapshot = catalogSnapshot(
      products.map(({ productId, name, category, price, currency, stock, imagePath }) => ({
        productId,
        name,
        category,
        price,
        currency,
        stock,
        imagePath,
      })),
    );
    this.loaded = { snapshot, freshUntil: this.now() + this.ttlMs };
    return snapshot;
  }
}
