import { useInfiniteQuery } from '@tanstack/react-query';
import { useShopServices } from '../shop-services';
import { ProductGrid } from './product-card';
import { QueryFallback } from './query-fallback';
import { NextPage } from './next-page';

const PAGE_SIZE = 24;

/** Products of a category or matching a search, a page at a time, with "Show more". */
export function ProductListing({
  query,
  label,
  emptyMessage,
}: {
  readonly query: { readonly category?: string; readonly q?: string };
  readonly label: string;
  readonly emptyMessage: string;
}) {
  const { api } = useShopServices();
  const pages = useInfiniteQuery({
    queryKey: ['products', 'list', query],
    queryFn: ({ pageParam, signal }) =>
      api.listProducts({ ...query, limit: PAGE_SIZE, ...(pageParam && { nextToken: pageParam }) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextToken,
  });
  if (!pages.data) {
    return <QueryFallback query={pages} loading="Loading products" failed="Products could not be loaded" />;
  }
  const products = pages.data.pages.flatMap((page) => page.items);
  if (products.length === 0) return <p className="notice">{emptyMessage}</p>;
  return (
    <>
      <ProductGrid products={products} label={label} />
      <NextPage pages={pages} label="Show more" failed="More products could not be loaded" />
    </>
  );
}
