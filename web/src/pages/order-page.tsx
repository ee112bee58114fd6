import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { OrderLines } from '../components/order-lines';
import { formatDateTime } from '../format/date';
import { useShopServices } from '../shop-services';
import { QueryFallback } from '../components/query-fallback';

/** One order; right after checkout, its confirmation. */
export function OrderPage() {
  const { orderId = '' } = useParams();
  const placed = (useLocation().state as { placed?: boolean } | null)?.placed === true;
  const { api } = useShopServices();
  const order = useQuery({
    queryKey: ['orders', orderId],
    queryFn: ({ signal }) => api.getOrder(orderId, signal),
  });
  if (!order.data) {
    return <QueryFallback query={order} loading="Loading the order" failed="This order could not be shown" />;
  }
  const { shippingAddress: address } = order.data;
  return (
    <>
      {placed ? (
        <>
          <h1>Thank you for your order</h1>
          <p role="status" className="notice">
            Order <strong>{order.data.orderId}</strong> is placed. We will ship it soon.
          </p>
        </>
      ) : (
        <h1>Order {order.data.orderId}</h1>
      )}
      <p className="muted">
        Placed {formatDateTime(order.data.createdAt)} · {order.data.status.toLowerCase()}
      </p>
      <OrderLines order={order.data} />
      <h2>Shipping to</h2>
      <address>
        {[
          address.name,
          address.line1,
          address.line2,
          `${address.postalCode} ${address.city}`,
          address.region,
          address.country,
        ]
          .filter(Boolean)
          .map((line) => (
            <span key={line} className="address-line">
              {line}
            </span>
          ))}
      </address>
      <p>
        <Link to="/orders">All your orders</Link>
      </p>
    </>
  );
}
