import { useParams } from 'react-router';
import { categoryLabel } from '../catalog/categories';
import { ProductListing } from '../components/product-listing';

export function CategoryPage() {
  const { category = '' } = useParams();
  const label = categoryLabel(category);
  return (
    <>
      <h1>{label}</h1>
      <ProductListing
        query={{ category }}
        label={label}
        emptyMessage="This department has no products yet."
      />
    </>
  );
}
