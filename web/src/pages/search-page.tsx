import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { ProductListing } from '../components/product-listing';
import { useShopServices } from '../shop-services';

export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const { tracker } = useShopServices();

  useEffect(() => {
    if (q) tracker.track({ type: 'search', query: q });
  }, [tracker, q]);

  if (!q) {
    return (
      <>
        <h1>Search</h1>
        <p className="notice">Type what you are looking for in the search box.</p>
      </>
    );
  }
  return (
    <>
      <h1>Results for “{q}”</h1>
      <ProductListing
        query={{ q }}
        label={`Products matching ${q}`}
        emptyMessage={`No products match “${q}”. Try other words.`}
      />
    </>
  );
}
