import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Product } from '../api/shop-api';
import { CartStore } from '../cart/cart-store';
import { renderPage } from '../testing/render-page';
import type { ClickstreamTracker } from '../tracking/clickstream-tracker';
import { CartPage } from './cart-page';

const product = (productId: string, name: string, price: number): Product => ({
  productId,
  name,
  description: 'A product.',
  category: 'kitchen',
  price,
  currency: 'USD',
  imagePath: `/images/products/${productId}.svg`,
  stock: 10,
});

function renderCart() {
  const cart = new CartStore(window.localStorage);
  cart.add(product('kit-0001', 'Cast-Iron Skillet, Essential', 2999), 2);
  cart.add(product('kit-0002', 'Cast-Iron Skillet, Pro', 4699));
  const track = jest.fn();
  renderPage(<CartPage />, {
    url: '/cart',
    services: { cart, tracker: { track } as unknown as ClickstreamTracker },
  });
  return { cart, track };
}

describe('the cart page', () => {
  beforeEach(() => window.localStorage.clear());

  it('lists each product with its picture, quantity and amount, and the subtotal', () => {
    renderCart();
    const lines = within(screen.getByRole('list', { name: 'Products in your cart' })).getAllByRole(
      'listitem',
    );
    expect(lines).toHaveLength(2);
    expect(within(lines[0]!).getByRole('img', { name: 'Cast-Iron Skillet, Essential' })).toBeInTheDocument();
    expect(within(lines[0]!).getByText('$59.98')).toBeInTheDocument();
    expect(screen.getByText(/Subtotal/)).toHaveTextContent('Subtotal: $106.97');
    expect(screen.getByRole('link', { name: 'Check out' })).toHaveAttribute('href', '/checkout');
  });

  it('changes a quantity, which the cart keeps', async () => {
    const { cart } = renderCart();
    const quantity = screen.getByRole('spinbutton', { name: 'Quantity of Cast-Iron Skillet, Pro' });
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '3');
    expect(cart.snapshot().lines[1]?.quantity).toBe(3);
    expect(screen.getByText(/Subtotal/)).toHaveTextContent('Subtotal: $200.95');
    expect(new CartStore(window.localStorage).snapshot().lines[1]?.quantity).toBe(3);
  });

  it('removes a product and reports it to the clickstream', async () => {
    const { cart, track } = renderCart();
    await userEvent.click(screen.getByRole('button', { name: 'Remove Cast-Iron Skillet, Essential' }));
    expect(cart.snapshot().lines.map((line) => line.productId)).toEqual(['kit-0002']);
    expect(track).toHaveBeenCalledWith({ type: 'remove_from_cart', productId: 'kit-0001' });
  });

  it('says so when the cart is empty', async () => {
    const { cart } = renderCart();
    cart.clear();
    expect(await screen.findByText(/Your cart is empty/)).toBeInTheDocument();
  });
});
