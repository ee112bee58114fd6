import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { requireCaller } from '../../shared/caller';
import { NotFoundError, ServiceUnavailableError } from '../../shared/errors';
import { httpApi, type ApiResponse, type HttpApiOptions } from '../../shared/http';
import { decodePageToken, encodePageToken } from '../../shared/pagination';
import { parseJsonBody, parseWith } from '../../shared/validation';
import { SearchUnavailableError, type SearchIndex } from '../../search/search-index';
import { orderRequestSchema, orderView } from '../domain/order';
import { placeOrder } from '../domain/place-order';
import type { OrderStore, ProductCatalog } from '../domain/ports';

/** Largest `POST /orders` body accepted. */
export const MAX_ORDER_BODY_BYTES = 32 * 1024;

export interface OrdersApiDependencies extends HttpApiOptions {
  readonly catalog: ProductCatalog;
  readonly orders: OrderStore;
  readonly search: SearchIndex;
  readonly clock?: () => Date;
}

const idempotencySchema = z.object({
  'Idempotency-Key': z
    .string({ error: 'required: a new random value (a UUID) per order attempt, the same on its retries' })
    .regex(/^[A-Za-z0-9_.:-]{8,128}$/, '8 to 128 letters, digits or -_.: (a UUID is best)'),
});

const limit = z.coerce.number().int('a whole number').min(1, 'from 1 to 100').max(100, 'from 1 to 100');
const listQuerySchema = z.strictObject({ limit: limit.default(20), nextToken: z.string().optional() });
const isoDate = z.iso.date().or(z.iso.datetime({ offset: true }));
const searchQuerySchema = z
  .strictObject({
    q: z.string().trim().min(1).max(100, 'at most 100 characters').optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: limit.default(20),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before "from"',
  });

/**
 * The orders API (OrderProcessing): place an order, read one, list the caller's orders, search
 * them. Every route needs a signed-in caller; orders belong to the caller's Cognito `sub`.
 */
export function createOrdersApi(dependencies: OrdersApiDependencies) {
  const { catalog, orders, search, metrics } = dependencies;
  const clock = dependencies.clock ?? (() => new Date());

  const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<ApiResponse>> = {
    'POST /orders': async (event) => {
      const caller = requireCaller(event);
      const { 'Idempotency-Key': idempotencyKey } = parseWith(
        idempotencySchema,
        { 'Idempotency-Key': header(event, 'idempotency-key') },
        'headers',
      );
      const request = parseJsonBody(
        event.body,
        event.isBase64Encoded,
        orderRequestSchema,
        MAX_ORDER_BODY_BYTES,
      );
      const placed = await placeOrder(
        { customerId: caller.userId, idempotencyKey, request, now: clock() },
        { catalog, orders },
      );
      if (placed.created) {
        metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1);
        metrics.addMetric('OrderValue', MetricUnit.NoUnit, placed.order.total);
      }
      return { statusCode: 201, body: orderView(placed.order) };
    },

    'GET /orders/{orderId}': async (event) => {
      const caller = requireCaller(event);
      const orderId = event.pathParameters?.orderId ?? '';
      const order = await orders.get(orderId);
      // Someone else's order is as absent as one that does not exist.
      if (!order || order.customerId !== caller.userId) throw new NotFoundError(`No order ${orderId}`);
      return { statusCode: 200, body: orderView(order) };
    },

    'GET /orders': async (event) => {
      const caller = requireCaller(event);
      const query = parseWith(listQuerySchema, event.queryStringParameters ?? {}, 'query');
      const page = await orders.listByCustomer(caller.userId, {
        limit: query.limit,
        position: decodePageToken(query.nextToken),
      });
      const nextToken = encodePageToken(page.nextPosition);
      return {
        statusCode: 200,
        body: { orders: page.orders.map(orderView), ...(nextToken && { nextToken }) },
      };
    },

    'GET /orders/search': async (event) => {
      const caller = requireCaller(event);
      const query = parseWith(searchQuerySchema, event.queryStringParameters ?? {}, 'query');
      try {
        const result = await search.searchOrders({
          text: query.q,
          from: query.from,
          to: query.to && query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to,
          // Shop staff search every order; shoppers their own.
          customerId: caller.isAdmin ? undefined : caller.userId,
          limit: query.limit,
        });
        return { statusCode: 200, body: result };
      } catch (error) {
        if (error instanceof SearchUnavailableError)
          throw new ServiceUnavailableError('Order search is unavailable');
        throw error;
      }
    },
  };

  return httpApi(async (event) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`No route ${event.httpMethod} ${event.resource}`);
    return route(event);
  }, dependencies);
}

/** A request header, whatever its case. */
function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}
