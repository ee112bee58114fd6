import type { Order } from '../api/shop-api';
import { Price } from './price';

/** An order's lines and its total, as the server priced them. */
export function OrderLines({ order }: { readonly order: Order }) {
  return (
    <table className="order-lines">
      <caption className="visually-hidden">Products in order {order.orderId}</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Quantity</th>
          <th scope="col">Price</th>
          <th scope="col">Amount</th>
        </tr>
      </thead>
      <tbody>
        {order.items.map((line) => (
          <tr key={line.productId}>
            <td>{line.name}</td>
            <td>{line.quantity}</td>
            <td>
              <Price amount={line.unitPrice} currency={order.currency} />
            </td>
            <td>
              <Price amount={line.lineTotal} currency={order.currency} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="order-total">
            <Price amount={order.total} currency={order.currency} />
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
