import { Link } from 'react-router';
import { Price } from './price';

/** What a listing shows of a product; catalog products and recommended items both have it. */
export interface ProductSummary {
  readonly productId: string;
  readonly name: string;
  readonly price: number;
  readonly currency?: string;
  readonly imagePath?: string;
  readonly stock?: number;
}

function ProductCard({ product }: { readonly product: ProductSummary }) {
  return (
    <li className="product-card">
      <Link to={`/products/${product.productId}`} className="product-card-link">
        {product.imagePath && (
          <img src={product.imagePath} alt={product.name} width={400} height={300} loading="lazy" />
        )}
        <span className="product-card-name">{product.name}</span>
      </Link>
      <Price amount={product.price} currency={product.currency ?? 'USD'} />
      {product.stock === 0 && <span className="badge">Sold out</span>}
    </li>
  );
}

export function ProductGrid({
  products,
  label,
}: {
  readonly products: readonly ProductSummary[];
  readonly label: string;
}) {
  return (
    <ul className="product-grid" aria-label={label}>
      {products.map((product) => (
        <ProductCard key={product.productId} product={product} />
      ))}
    </ul>
  );
}
