import { formatPrice } from '../format/price';

export function Price({ amount, currency }: { readonly amount: number; readonly currency: string }) {
  return <span className="price">{formatPrice(amount, currency)}</span>;
}
