import { z } from 'zod';
import { loadEnvironment } from '../../shared/environment';
import { catalogAdapters } from './catalog-adapters';
import { createProductsApi } from './products-api-routes';

/** The Lambda function behind /products (wiring only; the routes are in products-api-routes.ts). */
const env = loadEnvironment(
  z.object({
    PRODUCTS_TABLE_NAME: z.string().min(3),
    ALLOWED_ORIGIN: z.url(),
  }),
);

export const handler = createProductsApi({
  ...catalogAdapters(env.PRODUCTS_TABLE_NAME),
  allowedOrigin: env.ALLOWED_ORIGIN,
});
