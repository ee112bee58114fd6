import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../components/error-message';
import { Loading } from '../components/loading';
import { Price } from '../components/price';
import { TextField } from '../components/text-field';
import { formatDateTime } from '../format/date';
import { useShopServices } from '../shop-services';
import { QueryFallback } from '../components/query-fallback';
import { NextPage } from '../components/next-page';

interface OrderRow {
  readonly orderId: string;
  readonly createdAt: string;
  readonly total: number;
  readonly currency: string;
  readonly items: readonly { readonly name: string; readonly quantity: number }[];
}

interface OrderSearch {
  readonly q?: string;
  readonly from?: string;
  readonly to?: string;
  /** When the shopper asked: each search is run anew, since new orders reach the index within seconds. */
  readonly askedAt: number;
}

/** The shopper's orders, newest first, and a search over them (product names, order id, dates). */
export function OrdersPage() {
  const [search, setSearch] = useState<OrderSearch>();
  return (
    <>
      <h1>Your orders</h1>
      <OrderSearchForm onSearch={setSearch} />
      {search ? (
        <OrderSearchResults search={search} onClear={() => setSearch(undefined)} />
      ) : (
        <OrderHistory />
      )}
    </>
  );
}

function OrderHistory() {
  const { api } = useShopServices();
  const pages = useInfiniteQuery({
    queryKey: ['orders', 'list'],
    queryFn: ({ pageParam, signal }) =>
      api.listOrders({ limit: 20, ...(pageParam && { nextToken: pageParam }) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextToken,
  });
  if (!pages.data) {
    return (
      <QueryFallback query={pages} loading="Loading your orders" failed="Your orders could not be loaded" />
    );
  }
  const orders = pages.data.pages.flatMap((page) => page.items);
  if (orders.length === 0) {
    return (
      <p className="notice">
        You have no orders yet. <Link to="/">Start shopping</Link>.
      </p>
    );
  }
  return (
    <>
      <OrderTable orders={orders} caption="Your orders, newest first" />
      <NextPage pages={pages} label="Show older orders" failed="Older orders could not be loaded" />
    </>
  );
}

function OrderSearchResults({
  search,
  onClear,
}: {
  readonly search: OrderSearch;
  readonly onClear: () => void;
}) {
  const { api } = useShopServices();
  const results = useQuery({
    queryKey: ['orders', 'search', search],
    queryFn: ({ signal }) =>
      api.searchOrders({ q: search.q, from: search.from, to: search.to, limit: 50 }, signal),
    placeholderData: keepPreviousData,
  });
  const clear = (
    <button type="button" className="link-button" onClick={onClear}>
      Show all orders
    </button>
  );
  if (results.isPending) return <Loading label="Searching your orders" />;
  if (results.isError) {
    return (
      <>
        <ErrorMessage
          error={results.error}
          title="Your orders could not be searched"
          onRetry={() => void results.refetch()}
        />
        {clear}
      </>
    );
  }
  return (
    <>
      <p role="status">
        {results.data.total === 1 ? '1 order matches.' : `${results.data.total} orders match.`} {clear}
      </p>
      {results.data.orders.length > 0 && (
        <OrderTable orders={results.data.orders} caption="Orders that match" />
      )}
    </>
  );
}

function OrderSearchForm({ onSearch }: { readonly onSearch: (search: OrderSearch | undefined) => void }) {
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const search = { ...(q.trim() && { q: q.trim() }), ...(from && { from }), ...(to && { to }) };
    onSearch(Object.keys(search).length > 0 ? { ...search, askedAt: Date.now() } : undefined);
  };
  return (
    <form className="form order-search" role="search" aria-label="Search your orders" onSubmit={submit}>
      <TextField label="Product or order number" type="search" maxLength={100} value={q} onChange={setQ} />
      <TextField label="From" type="date" value={from} onChange={setFrom} />
      <TextField label="To" type="date" value={to} min={from || undefined} onChange={setTo} />
      <button type="submit" className="button">
        Search orders
      </button>
    </form>
  );
}

function OrderTable({ orders, caption }: { readonly orders: readonly OrderRow[]; readonly caption: string }) {
  return (
    <table className="orders">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Placed</th>
          <th scope="col">Products</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.orderId}>
            <td>
              <Link to={`/orders/${order.orderId}`}>{order.orderId}</Link>
            </td>
            <td>{formatDateTime(order.createdAt)}</td>
            <td>{order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ')}</td>
            <td className="order-total">
              <Price amount={order.total} currency={order.currency} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
