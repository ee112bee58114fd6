import { createHash } from 'node:crypto';
import { ConflictError } from '../../shared/errors';
import type { Order, OrderRequest } from './order';
import { OrderAlreadyExistsError, type OrderStore, type ProductCatalog } from './ports';
import { priceOrder } from './pricing';

export interface PlaceOrderCommand {
  readonly customerId: string;
  /** The client's `Idempotency-Key`: one key, one order. */
  readonly idempotencyKey: string;
  readonly request: OrderRequest;
  readonly now: Date;
}

export interface PlacedOrder {
  readonly order: Order;
  /** False when the key had already placed this order: the first result is returned again. */
  readonly created: boolean;
}

/**
 * Places an order exactly once per customer and idempotency key.
 *
 * The order id is derived from the customer and the key, and the store writes only if no order
 * has that id: concurrent retries race for one conditional write, the winner creates the order,
 * every other attempt reads it back. A retry that asks for the same thing gets the same order; a
 * different request under a used key is a conflict.
 */
export async function placeOrder(
  command: PlaceOrderCommand,
  ports: { readonly catalog: ProductCatalog; readonly orders: OrderStore },
): Promise<PlacedOrder> {
  const orderId = orderIdFor(command.customerId, command.idempotencyKey);
  const requestHash = hashOf(command.request);

  const replay = async (): Promise<PlacedOrder | undefined> => {
    const existing = await ports.orders.get(orderId);
    if (!existing) return undefined;
    if (existing.requestHash !== requestHash) {
      throw new ConflictError('This Idempotency-Key was already used for a different order');
    }
    return { order: existing, created: false };
  };

  const previous = await replay();
  if (previous) return previous;

  const products = await ports.catalog.getMany(command.request.items.map((item) => item.productId));
  const priced = priceOrder(command.request, products);
  const order: Order = {
    orderId,
    customerId: command.customerId,
    status: 'PLACED',
    items: priced.lines,
    total: priced.total,
    currency: priced.currency,
    shippingAddress: command.request.shippingAddress,
    createdAt: command.now.toISOString(),
    idempotencyKey: command.idempotencyKey,
    requestHash,
  };
  try {
    await ports.orders.create(order);
    return { order, created: true };
  } catch (error) {
    if (!(error instanceof OrderAlreadyExistsError)) throw error;
    // Another attempt with the same key won the race.
    const winner = await replay();
    if (!winner) throw error;
    return winner;
  }
}

/** A stable order id for a customer's idempotency key, which reveals neither. */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex');
  return `ord_${digest.slice(0, 24)}`;
}

/** A hash of the request that does not depend on the order of its keys. */
function hashOf(request: OrderRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
