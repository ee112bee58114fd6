import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/api-error';
import type { OrderRequest } from '../api/shop-api';
import { subtotals } from '../cart/cart';
import { placeOrderOnce } from '../checkout/place-order';
import { ErrorMessage } from '../components/error-message';
import { Price } from '../components/price';
import { TextField } from '../components/text-field';
import { useCart, useShopServices, useSignedInUser } from '../shop-services';

type Address = OrderRequest['shippingAddress'];

const COUNTRIES: readonly [string, string][] = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['AU', 'Australia'],
];

const FIELDS: readonly { name: keyof Address; label: string; autoComplete: string; optional?: boolean }[] = [
  { name: 'name', label: 'Full name', autoComplete: 'name' },
  { name: 'line1', label: 'Address', autoComplete: 'address-line1' },
  { name: 'line2', label: 'Apartment, suite (optional)', autoComplete: 'address-line2', optional: true },
  { name: 'city', label: 'City', autoComplete: 'address-level2' },
  { name: 'region', label: 'State or region (optional)', autoComplete: 'address-level1', optional: true },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code' },
];

export function CheckoutPage() {
  const cart = useCart();
  const user = useSignedInUser();
  const { api, cart: store, tracker } = useShopServices();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [address, setAddress] = useState<Address>({
    name: '',
    line1: '',
    city: '',
    postalCode: '',
    country: 'US',
  });
  const [placing, setPlacing] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  const hasLines = cart.lines.length > 0;
  useEffect(() => {
    if (hasLines) tracker.track({ type: 'checkout_start' });
  }, [tracker, hasLines]);

  if (!hasLines) {
    return (
      <>
        <h1>Checkout</h1>
        <p className="notice">
          Your cart is empty. <Link to="/">Find something you like</Link>.
        </p>
      </>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPlacing(true);
    setFailure(undefined);
    try {
      const shippingAddress = Object.fromEntries(
        Object.entries(address).filter(([, value]) => value.trim() !== ''),
      ) as Address;
      const items = cart.lines.map(({ productId, quantity }) => ({ productId, quantity }));
      const order = await placeOrderOnce((key) => api.placeOrder({ items, shippingAddress }, key));
      for (const line of order.items) {
        tracker.track({
          type: 'purchase',
          productId: line.productId,
          price: line.unitPrice,
          quantity: line.quantity,
          orderId: order.orderId,
        });
      }
      store.clear();
      queryClient.setQueryData(['orders', order.orderId], order);
      void queryClient.invalidateQueries({ queryKey: ['orders', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['recommendations'] });
      await navigate(`/orders/${order.orderId}`, { state: { placed: true } });
    } catch (error) {
      setFailure(error);
      setPlacing(false);
    }
  };

  const field = (name: keyof Address) => (value: string) =>
    setAddress((current) => ({ ...current, [name]: value }));
  return (
    <>
      <h1>Checkout</h1>
      <div className="checkout">
        <form className="form" onSubmit={(event) => void submit(event)} aria-labelledby="shipping-heading">
          <h2 id="shipping-heading">Shipping address</h2>
          <p className="muted">Signed in as {user?.email}</p>
          {FIELDS.map(({ name, label, autoComplete, optional }) => (
            <TextField
              key={name}
              label={label}
              name={name}
              autoComplete={autoComplete}
              required={!optional}
              maxLength={name === 'postalCode' ? 20 : 100}
              value={address[name] ?? ''}
              onChange={field(name)}
            />
          ))}
          <div className="field">
            <label htmlFor="address-country">Country</label>
            <select
              id="address-country"
              autoComplete="country"
              value={address.country}
              onChange={(event) => field('country')(event.target.value)}
            >
              {COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {failure !== undefined && (
            <>
              <ErrorMessage error={failure} title="Your order was not placed" />
              {failure instanceof ApiError && failure.fieldErrors.length > 0 && (
                <ul className="field-errors">
                  {failure.fieldErrors.map((error) => (
                    <li key={`${error.path}:${error.message}`}>
                      {fieldLabel(error.path)}: {error.message}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <button type="submit" className="button button-primary" disabled={placing}>
            {placing ? 'Placing your order…' : 'Place order'}
          </button>
        </form>
        <section className="order-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Your order</h2>
          <ul>
            {cart.lines.map((line) => (
              <li key={line.productId}>
                {line.quantity} × {line.name}{' '}
                <Price amount={line.unitPrice * line.quantity} currency={line.currency} />
              </li>
            ))}
          </ul>
          {subtotals(cart).map((subtotal) => (
            <p key={subtotal.currency}>
              Estimated total: <Price amount={subtotal.amount} currency={subtotal.currency} />
            </p>
          ))}
          <p className="muted">We confirm the total, at today's prices, when you place the order.</p>
        </section>
      </div>
    </>
  );
}

/** The form's name for a field the API refused (`shippingAddress.postalCode` is "Postal code"). */
function fieldLabel(path: string): string {
  const name = path.split('.').pop();
  if (name === 'country') return 'Country';
  return FIELDS.find((field) => field.name === name)?.label ?? path;
}
