import { z } from 'zod';
import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { searchIndexFromEnvironment } from '../../search/search-index-from-environment';
import { documentClient } from '../../shared/dynamodb';
import { loadEnvironment } from '../../shared/environment';
import { observability } from '../../shared/powertools';
import { DynamoDbOrderStore } from '../adapters/dynamodb-order-store';
import { createOrdersApi } from './orders-api-routes';

/** OrderProcessing: the Lambda function behind /orders (wiring only; the routes are in orders-api-routes.ts). */
const env = loadEnvironment(
  z.object({
    ORDERS_TABLE_NAME: z.string().min(1),
    PRODUCTS_TABLE_NAME: z.string().min(1),
    ALLOWED_ORIGIN: z.url(),
  }),
);
const documents = documentClient();

export const handler = createOrdersApi({
  ...observability(),
  allowedOrigin: env.ALLOWED_ORIGIN,
  catalog: new DynamoDbProductStore({ documents, tableName: env.PRODUCTS_TABLE_NAME }),
  orders: new DynamoDbOrderStore({ documents, tableName: env.ORDERS_TABLE_NAME }),
  search: searchIndexFromEnvironment(),
});
