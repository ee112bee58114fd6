import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import {
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
  type FieldError,
} from '../../shared/errors';
import { httpApi, type ApiResponse, type HttpApiOptions } from '../../shared/http';
import { decodePageToken, encodePageToken } from '../../shared/pagination';
import { fieldErrors, parseWith } from '../../shared/validation';
import { SearchUnavailableError } from '../../search/search-index';
import { browseProducts, type ProductSearch } from '../domain/browse-products';
import { InvalidPositionError } from '../domain/errors';
import { categorySchema, productIdSchema } from '../domain/product';
import type { ProductStore } from '../domain/product-store';

export interface ProductsApiDependencies extends HttpApiOptions {
  readonly store: ProductStore;
  readonly search: ProductSearch;
}

export const DEFAULT_PAGE_SIZE = 20;

/** Browsers and CloudFront may reuse a catalog answer for a minute. */
const CACHEABLE = { 'cache-control': 'public, max-age=60' };

const LIST_PARAMETERS = ['category', 'q', 'limit', 'nextToken'];

const listQuerySchema = z.object({
  category: categorySchema.optional(),
  q: z.string().trim().min(1, 'from 1 to 100 characters').max(100, 'from 1 to 100 characters').optional(),
  limit: z
    .string()
    .regex(/^(?:[1-9][0-9]?|100)$/, 'a whole number from 1 to 100')
    .transform(Number)
    .optional(),
  nextToken: z.string().optional(),
});

const productPathSchema = z.object({ productId: productIdSchema });

/**
 * The catalog API (public, no sign-in): pages of products, by category or matching free text, and
 * one product by id.
 */
export function createProductsApi(dependencies: ProductsApiDependencies) {
  const { store, search, logger, metrics } = dependencies;

  const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<ApiResponse>> = {
    'GET /products': async (event) => {
      const query = listQuery(event);
      const page = await browseProducts(
        {
          category: query.category,
          text: query.q,
          limit: query.limit ?? DEFAULT_PAGE_SIZE,
          position: decodePageToken(query.nextToken),
        },
        { store, search },
      ).catch((error: unknown) => {
        if (error instanceof InvalidPositionError) {
          throw new ValidationError('Invalid nextToken', [
            { path: 'nextToken', message: 'not a token this API issued for this query' },
          ]);
        }
        if (error instanceof SearchUnavailableError) {
          logger.warn('Product search is unavailable', { error });
          metrics.addMetric('ProductSearchUnavailable', MetricUnit.Count, 1);
          throw new ServiceUnavailableError('Product search is unavailable for a moment. Try again shortly.');
        }
        throw error;
      });
      const nextToken = encodePageToken(page.nextPosition);
      return {
        statusCode: 200,
        headers: CACHEABLE,
        body: { products: page.products, ...(nextToken && { nextToken }) },
      };
    },

    'GET /products/{productId}': async (event) => {
      const { productId } = parseWith(productPathSchema, event.pathParameters ?? {}, 'product id');
      const product = await store.get(productId);
      if (!product) throw new NotFoundError(`No product ${productId}`);
      return { statusCode: 200, headers: CACHEABLE, body: product };
    },
  };

  return httpApi(async (event) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`No route ${event.httpMethod} ${event.resource}`);
    return route(event);
  }, dependencies);
}

/** The query of `GET /products`, or a 400 naming every unknown, repeated or invalid parameter. */
function listQuery(event: APIGatewayProxyEvent): z.infer<typeof listQuerySchema> {
  const parameters = event.queryStringParameters ?? {};
  const problems: FieldError[] = [
    ...Object.keys(parameters)
      .filter((name) => !LIST_PARAMETERS.includes(name))
      .map((name) => ({ path: name, message: `unknown parameter; use ${LIST_PARAMETERS.join(', ')}` })),
    ...Object.entries(event.multiValueQueryStringParameters ?? {})
      .filter(([name, values]) => LIST_PARAMETERS.includes(name) && (values?.length ?? 0) > 1)
      .map(([name]) => ({ path: name, message: 'given more than once' })),
  ];
  const parsed = listQuerySchema.safeParse(parameters);
  if (!parsed.success) problems.push(...fieldErrors(parsed.error));
  if (!parsed.success || problems.length > 0) throw new ValidationError('Invalid query', problems);
  return parsed.data;
}
