import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { ApiError } from '../api/api-error';
import type { Order, OrderRequest, Product, ShopApi } from '../api/shop-api';
import { CartStore } from '../cart/cart-store';
import { FakeSession } from '../testing/fake-session';
import { renderPage } from '../testing/render-page';
import type { ClickstreamTracker } from '../tracking/clickstream-tracker';
import { CheckoutPage } from './checkout-page';

const skillet: Product = {
  productId: 'kit-0001',
  name: 'Cast-Iron Skillet, Essential',
  description: 'A skillet.',
  category: 'kitchen',
  price: 2999,
  currency: 'USD',
  imagePath: '/images/products/kit-0001.svg',
  stock: 10,
};

/** The order the server makes of the request: its own prices (here a cent less than the cart's). */
function priced(request: OrderRequest): Order {
  const items = request.items.map(({ productId, quantity }) => ({
    productId,
    name: skillet.name,
    quantity,
    unitPrice: 2998,
    lineTotal: 2998 * quantity,
  }));
  return {
    orderId: 'ord_1',
    status: 'PLACED',
    items,
    total: items.reduce((sum, line) => sum + line.lineTotal, 0),
    currency: 'USD',
    shippingAddress: request.shippingAddress,
    createdAt: '2026-11-26T01:00:00.000Z',
  };
}

function renderCheckout(placeOrder: jest.Mock<Promise<Order>, [OrderRequest, string]>) {
  const cart = new CartStore(window.localStorage);
  cart.add(skillet, 2);
  const track = jest.fn();
  const withQueries = (page: ReactElement) => (
    <QueryClientProvider client={new QueryClient()}>{page}</QueryClientProvider>
  );
  renderPage(withQueries(<CheckoutPage />), {
    url: '/checkout',
    session: new FakeSession({ userId: 'user-1', email: 'ada@example.com', groups: [], isAdmin: false }),
    services: {
      cart,
      api: { placeOrder } as unknown as ShopApi,
      tracker: { track } as unknown as ClickstreamTracker,
    },
  });
  return { cart, track };
}

async function fillAddressAndPlace(): Promise<void> {
  await userEvent.type(screen.getByLabelText('Full name'), 'Ada Shopper');
  await userEvent.type(screen.getByLabelText('Address'), '1 Market Street');
  await userEvent.type(screen.getByLabelText('City'), 'Springfield');
  await userEvent.type(screen.getByLabelText('Postal code'), '12345');
  await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
}

describe('the checkout page', () => {
  beforeEach(() => window.localStorage.clear());

  it('places the cart as an order, reports the purchase, empties the cart and shows the order', async () => {
    const placeOrder = jest.fn(async (request: OrderRequest, _key: string) => priced(request));
    const { cart, track } = renderCheckout(placeOrder);
    expect(track).toHaveBeenCalledWith({ type: 'checkout_start' });

    await fillAddressAndPlace();

    expect(await screen.findByText('at /orders/ord_1')).toBeInTheDocument();
    expect(placeOrder).toHaveBeenCalledWith(
      {
        items: [{ productId: 'kit-0001', quantity: 2 }],
        shippingAddress: {
          name: 'Ada Shopper',
          line1: '1 Market Street',
          city: 'Springfield',
          postalCode: '12345',
          country: 'US',
        },
      },
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    );
    // The server's price, not the cart's.
    expect(track).toHaveBeenCalledWith({
      type: 'purchase',
      productId: 'kit-0001',
      price: 2998,
      quantity: 2,
      orderId: 'ord_1',
    });
    expect(cart.snapshot().lines).toEqual([]);
  });

  it("shows the API's message and each field it refused, keeps the cart, and sends a new key next time", async () => {
    const placeOrder = jest
      .fn<Promise<Order>, [OrderRequest, string]>()
      .mockRejectedValueOnce(
        new ApiError('Invalid request body', 400, 'req-1', [
          { path: 'shippingAddress.postalCode', message: 'at most 20 characters' },
        ]),
      )
      .mockImplementationOnce(async (request) => priced(request));
    const { cart } = renderCheckout(placeOrder);

    await fillAddressAndPlace();

    expect(await screen.findByRole('alert')).toHaveTextContent('Your order was not placed');
    expect(screen.getByRole('alert')).toHaveTextContent('Invalid request body');
    expect(screen.getByText('Postal code: at most 20 characters')).toBeInTheDocument();
    expect(cart.snapshot().lines).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText('at /orders/ord_1')).toBeInTheDocument();
    const [first, second] = placeOrder.mock.calls.map(([, key]) => key);
    expect(second).not.toBe(first);
  });
});
