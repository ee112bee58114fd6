import type { RealtimeDashboard } from '../../../services/analytics/domain/realtime-dashboard';
import type { Product } from '../../../services/catalog/domain/product';
import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import type { OrderRequest, orderView } from '../../../services/orders/domain/order';
import type { RecommendedItem } from '../../../services/recommendations/domain/recommendation';
import type { OrderDocument } from '../../../services/search/search-index';
import { requestJson } from './http-client';

export type { Product, RealtimeDashboard, RecommendedItem, ShopEvent, OrderRequest };
/** An order as the API shows it to its shopper. */
export type Order = ReturnType<typeof orderView>;
export type OrderSummary = OrderDocument;

export type RecommendationType = 'for-you' | 'similar' | 'trending' | 'bought-together';

export interface Recommendations {
  /** Which source answered: `personalize`, `realtime` or `popular`. */
  readonly source: string;
  readonly items: readonly RecommendedItem[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/** The ID token of the signed-in shopper, fresh, or undefined when nobody is signed in. */
export type IdTokenSource = () => Promise<string | undefined>;

/**
 * The shop API as the storefront uses it: one method per route, typed with the services' own
 * types. Signed-in routes send the shopper's ID token, which API Gateway's Cognito authorizer checks.
 */
export class ShopApi {
  constructor(
    private readonly apiUrl: string,
    private readonly idToken: IdTokenSource,
  ) {}

  async listProducts(
    query: { category?: string; q?: string; limit?: number; nextToken?: string },
    signal?: AbortSignal,
  ): Promise<Page<Product>> {
    const { body } = await requestJson<{ products: Product[]; nextToken?: string }>(this.url('products'), {
      query,
      signal,
    });
    return { items: body.products, ...(body.nextToken && { nextToken: body.nextToken }) };
  }

  async getProduct(productId: string, signal?: AbortSignal): Promise<Product> {
    return (await requestJson<Product>(this.url(`products/${encodeURIComponent(productId)}`), { signal }))
      .body;
  }

  /** Personalised when the shopper is signed in. */
  async recommendations(
    query: { type: RecommendationType; productId?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<Recommendations> {
    return (
      await requestJson<Recommendations>(this.url('recommendations'), {
        query,
        headers: await this.authorization(),
        signal,
      })
    ).body;
  }

  /**
   * Places an order. `idempotencyKey` is new for each checkout attempt and the same on its retries,
   * so a retry after a lost answer gets the order placed the first time, never a second one.
   */
  async placeOrder(order: OrderRequest, idempotencyKey: string): Promise<Order> {
    return (
      await requestJson<Order>(this.url('orders'), {
        method: 'POST',
        body: order,
        headers: { ...(await this.authorization()), 'Idempotency-Key': idempotencyKey },
        timeoutMs: 15_000,
      })
    ).body;
  }

  async getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
    return (
      await requestJson<Order>(this.url(`orders/${encodeURIComponent(orderId)}`), {
        headers: await this.authorization(),
        signal,
      })
    ).body;
  }

  async listOrders(
    query: { limit?: number; nextToken?: string },
    signal?: AbortSignal,
  ): Promise<Page<Order>> {
    const { body } = await requestJson<{ orders: Order[]; nextToken?: string }>(this.url('orders'), {
      query,
      headers: await this.authorization(),
      signal,
    });
    return { items: body.orders, ...(body.nextToken && { nextToken: body.nextToken }) };
  }

  async searchOrders(
    query: { q?: string; from?: string; to?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ orders: OrderSummary[]; total: number }> {
    return (
      await requestJson<{ orders: OrderSummary[]; total: number }>(this.url('orders/search'), {
        query,
        headers: await this.authorization(),
        signal,
      })
    ).body;
  }

  /** Shop staff only (the `admin` group). */
  async realtimeAnalytics(query: { minutes?: number }, signal?: AbortSignal): Promise<RealtimeDashboard> {
    return (
      await requestJson<RealtimeDashboard>(this.url('analytics/realtime'), {
        query,
        headers: await this.authorization(),
        signal,
      })
    ).body;
  }

  /** The URL of `POST /events`, which the clickstream tracker sends its batches to. */
  get eventsUrl(): string {
    return this.url('events').toString();
  }

  private url(path: string): URL {
    return new URL(path, this.apiUrl);
  }

  /** Without a token, a signed-in route answers 401, which the page shows as "Please sign in again." */
  private async authorization(): Promise<Record<string, string>> {
    const token = await this.idToken();
    return token ? { authorization: token } : {};
  }
}
