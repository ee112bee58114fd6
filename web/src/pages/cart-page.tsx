import { useState } from 'react';
import { Link } from 'react-router';
import { MAX_QUANTITY, subtotals, type CartLine } from '../cart/cart';
import { Price } from '../components/price';
import { useCart, useShopServices } from '../shop-services';

export function CartPage() {
  const cart = useCart();
  const { cart: store, tracker } = useShopServices();

  if (cart.lines.length === 0) {
    return (
      <>
        <h1>Your cart</h1>
        <p className="notice">
          Your cart is empty. <Link to="/">Find something you like</Link>.
        </p>
      </>
    );
  }
  const remove = (productId: string) => {
    store.remove(productId);
    tracker.track({ type: 'remove_from_cart', productId });
  };
  return (
    <>
      <h1>Your cart</h1>
      <ul className="cart-lines" aria-label="Products in your cart">
        {cart.lines.map((line) => (
          <li key={line.productId} className="cart-line">
            <img src={line.imagePath} alt={line.name} width={96} height={72} />
            <Link to={`/products/${line.productId}`} className="cart-line-name">
              {line.name}
            </Link>
            <span>
              <Price amount={line.unitPrice} currency={line.currency} /> each
            </span>
            <QuantityInput line={line} onChange={(quantity) => store.setQuantity(line.productId, quantity)} />
            <Price amount={line.unitPrice * line.quantity} currency={line.currency} />
            <button type="button" className="link-button" onClick={() => remove(line.productId)}>
              Remove<span className="visually-hidden"> {line.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="cart-summary">
        {subtotals(cart).map((subtotal) => (
          <p key={subtotal.currency}>
            Subtotal: <Price amount={subtotal.amount} currency={subtotal.currency} />
          </p>
        ))}
        <p className="muted">The total is confirmed at checkout.</p>
        <Link to="/checkout" className="button button-primary">
          Check out
        </Link>
      </div>
    </>
  );
}

/**
 * A line's quantity. What the shopper types is kept as typed (an empty box while retyping); each
 * whole number from 1 to 100 updates the cart; leaving the box shows the cart's quantity again.
 */
function QuantityInput({
  line,
  onChange,
}: {
  readonly line: CartLine;
  readonly onChange: (quantity: number) => void;
}) {
  const [draft, setDraft] = useState<string>();
  return (
    <label className="cart-line-quantity">
      <span className="visually-hidden">Quantity of {line.name}</span>
      <input
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_QUANTITY}
        value={draft ?? String(line.quantity)}
        onChange={(event) => {
          setDraft(event.target.value);
          const quantity = event.target.valueAsNumber;
          if (Number.isInteger(quantity) && quantity >= 1) onChange(quantity);
        }}
        onBlur={() => setDraft(undefined)}
      />
    </label>
  );
}
