import { ErrorMessage } from './error-message';
import { Loading } from './loading';

/** What a page shows of a request that has no answer yet: loading, or the error with "Try again". */
export function QueryFallback({
  query,
  loading,
  failed,
}: {
  readonly query: { readonly isPending: boolean; readonly error: unknown; readonly refetch: () => unknown };
  /** Such as "Loading the product". */
  readonly loading: string;
  /** Such as "This product could not be shown". */
  readonly failed: string;
}) {
  if (query.isPending) return <Loading label={loading} />;
  return <ErrorMessage error={query.error} title={failed} onRetry={() => void query.refetch()} />;
}
