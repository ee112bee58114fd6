import { useQuery } from '@tanstack/react-query';
import type { RecommendationType } from '../api/shop-api';
import { useShopServices, useSignedInUser } from '../shop-services';
import { ErrorMessage } from './error-message';
import { Loading } from './loading';
import { ProductGrid } from './product-card';

/**
 * A row of recommended products. It says which source answered (`data-source`: personalize,
 * realtime or popular), and shows nothing when there is nothing to recommend.
 */
export function RecommendationStrip({
  title,
  type,
  productId,
  limit = 8,
}: {
  readonly title: string;
  readonly type: RecommendationType;
  readonly productId?: string;
  readonly limit?: number;
}) {
  const { api } = useShopServices();
  // A signed-in shopper's for-you list is theirs: it is cached apart.
  const userId = useSignedInUser()?.userId;
  const query = useQuery({
    queryKey: ['recommendations', type, productId, type === 'for-you' ? userId : undefined, limit],
    queryFn: ({ signal }) => api.recommendations({ type, ...(productId && { productId }), limit }, signal),
  });
  const headingId = `recommendations-${type}`;
  if (query.data?.items.length === 0) return null;
  return (
    <section className="recommendations" aria-labelledby={headingId} data-source={query.data?.source}>
      <h2 id={headingId}>{title}</h2>
      {query.isPending && <Loading label="Finding products for you" />}
      {query.isError && (
        <ErrorMessage
          error={query.error}
          title="Recommendations are unavailable"
          onRetry={() => void query.refetch()}
        />
      )}
      {query.data && <ProductGrid products={query.data.items} label={title} />}
    </section>
  );
}
