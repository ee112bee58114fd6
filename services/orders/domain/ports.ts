import type { Order } from './order';

/** A product as the order service needs it: its current name and price. */
export interface PricedProduct {
  readonly productId: string;
  readonly name: string;
  /** Minor units (cents). */
  readonly price: number;
  readonly currency: string;
}

/** Where prices come from: the catalog. */
export interface ProductCatalog {
  /** The products that exist among `productIds`. */
  getMany(productIds: readonly string[]): Promise<PricedProduct[]>;
}

/** Raised by `OrderStore.create` when an order with that id is already stored. */
export class OrderAlreadyExistsError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} already exists`);
    this.name = 'OrderAlreadyExistsError';
  }
}

export interface OrderPage {
  readonly orders: Order[];
  /** Where the next page starts; none on the last page. */
  readonly nextPosition?: Record<string, unknown>;
}

/** The source of truth for orders. */
export interface OrderStore {
  /** Stores a new order; never overwrites. @throws OrderAlreadyExistsError */
  create(order: Order): Promise<void>;
  get(orderId: string): Promise<Order | undefined>;
  /** A customer's orders, newest first. */
  listByCustomer(
    customerId: string,
    page: { limit: number; position?: Record<string, unknown> },
  ): Promise<OrderPage>;
}
