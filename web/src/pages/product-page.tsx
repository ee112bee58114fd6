import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Product } from '../api/shop-api';
import { categoryLabel } from '../catalog/categories';
import { Price } from '../components/price';
import { RecommendationStrip } from '../components/recommendation-strip';
import { useShopServices } from '../shop-services';
import { QueryFallback } from '../components/query-fallback';

export function ProductPage() {
  const { productId = '' } = useParams();
  const { api, tracker } = useShopServices();
  const product = useQuery({
    queryKey: ['products', productId],
    queryFn: ({ signal }) => api.getProduct(productId, signal),
  });

  const viewed = product.data?.productId;
  useEffect(() => {
    if (viewed) tracker.track({ type: 'product_view', productId: viewed });
  }, [tracker, viewed]);

  if (!product.data) {
    return (
      <QueryFallback query={product} loading="Loading the product" failed="This product could not be shown" />
    );
  }
  return (
    <>
      <article className="product-detail">
        <img src={product.data.imagePath} alt={product.data.name} width={400} height={300} />
        <div>
          <p className="breadcrumb">
            <Link to={`/category/${product.data.category}`}>{categoryLabel(product.data.category)}</Link>
          </p>
          <h1>{product.data.name}</h1>
          <p className="product-price">
            <Price amount={product.data.price} currency={product.data.currency} />
          </p>
          <p>{product.data.description}</p>
          <AddToCart product={product.data} />
        </div>
      </article>
      <RecommendationStrip type="similar" productId={productId} title="Similar products" />
      <RecommendationStrip type="bought-together" productId={productId} title="Often bought together" />
    </>
  );
}

function AddToCart({ product }: { readonly product: Product }) {
  const { cart, tracker } = useShopServices();
  const [quantity, setQuantity] = useState(1);
  const [outcome, setOutcome] = useState<{ readonly added?: number; readonly error?: string }>({});
  if (product.stock === 0) return <p className="notice">Sold out: back soon.</p>;

  const add = () => {
    try {
      cart.add(product, quantity);
      tracker.track({ type: 'add_to_cart', productId: product.productId, price: product.price, quantity });
      setOutcome({ added: quantity });
    } catch (error) {
      setOutcome({ error: error instanceof Error ? error.message : 'It could not be added.' });
    }
  };
  return (
    <div className="add-to-cart">
      <label htmlFor="quantity">Quantity</label>
      <select id="quantity" value={quantity} onChange={(event) => setQuantity(Number(event.target.value))}>
        {Array.from({ length: Math.min(10, product.stock) }, (_, index) => index + 1).map((count) => (
          <option key={count} value={count}>
            {count}
          </option>
        ))}
      </select>
      <button type="button" className="button button-primary" onClick={add}>
        Add to cart
      </button>
      <p role="status" className="add-to-cart-status">
        {outcome.added !== undefined && (
          <>
            Added {outcome.added} to your cart. <Link to="/cart">View cart</Link>
          </>
        )}
      </p>
      {outcome.error && (
        <p role="alert" className="alert">
          {outcome.error}
        </p>
      )}
    </div>
  );
}
