import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { z } from 'zod';
import { DynamoDbMinuteAggregateReader } from '../../analytics/adapters/dynamodb-minute-aggregates';
import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { DynamoDbOrderStore } from '../../orders/adapters/dynamodb-order-store';
import { documentClient } from '../../shared/dynamodb';
import { loadEnvironment } from '../../shared/environment';
import { observability } from '../../shared/powertools';
import { CatalogCache } from '../adapters/catalog-cache';
import { DynamoDbRealtimeSignals, POPULARITY_READ_CONCURRENCY } from '../adapters/dynamodb-signals';
import { IdTokenVerifier } from '../adapters/id-token-verifier';
import { PersonalizeRecommender } from '../adapters/personalize-recommender';
import {
  createRecommendationsApi,
  DEFAULT_BUDGET_MS,
  DEFAULT_LINK_TIMEOUT_MS,
  personalizeLatencyRecorder,
} from './recommendations-api-routes';

/** The Lambda function behind /recommendations (wiring only; the route is in recommendations-api-routes.ts). */
const milliseconds = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, 'a whole number of milliseconds')
    .transform(Number)
    .refine((ms) => ms >= 1, 'at least 1')
    .default(fallback);

const env = loadEnvironment(
  z
    .object({
      ANALYTICS_TABLE_NAME: z.string().min(3),
      ORDERS_TABLE_NAME: z.string().min(3),
      PRODUCTS_TABLE_NAME: z.string().min(3),
      ALLOWED_ORIGIN: z.url(),
      RECOMMENDERS_PARAMETER_PREFIX: z
        .string()
        .regex(/^(?:\/[a-zA-Z0-9_.-]+)+$/, 'an SSM path such as /ecommerce/dev/recommenders'),
      USER_POOL_ID: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'a user pool id such as us-east-1_AbC123'),
      USER_POOL_CLIENT_ID: z.string().min(1),
      USER_POOL_ISSUER: z.url(),
      RECOMMENDATION_BUDGET_MS: milliseconds(DEFAULT_BUDGET_MS),
      RECOMMENDATION_LINK_TIMEOUT_MS: milliseconds(DEFAULT_LINK_TIMEOUT_MS),
    })
    .refine((value) => value.USER_POOL_ISSUER.replace(/\/+$/, '').endsWith(`/${value.USER_POOL_ID}`), {
      path: ['USER_POOL_ISSUER'],
      message: 'the issuer of USER_POOL_ID: it ends with /<USER_POOL_ID>',
    }),
);
const tools = observability();
const documents = documentClient(tools.tracer.captureAWSv3Client(new DynamoDBClient({})));

export const handler = createRecommendationsApi({
  ...tools,
  allowedOrigin: env.ALLOWED_ORIGIN,
  catalog: new CatalogCache({
    store: new DynamoDbProductStore({ documents, tableName: env.PRODUCTS_TABLE_NAME }),
    onStale: (error) => tools.logger.warn('Cannot reload the catalog; using the one read before', { error }),
  }),
  model: new PersonalizeRecommender({
    client: tools.tracer.captureAWSv3Client(new PersonalizeRuntimeClient({ maxAttempts: 2 })),
    readParameter: (name, options) => getParameter(name, options),
    parameterPrefix: env.RECOMMENDERS_PARAMETER_PREFIX,
    onCall: personalizeLatencyRecorder(tools.metrics),
  }),
  signals: new DynamoDbRealtimeSignals({
    documents,
    analyticsTableName: env.ANALYTICS_TABLE_NAME,
    // The hour's 60 minutes in 3 rounds rather than analytics' 6: this read is on the request's clock.
    minutes: new DynamoDbMinuteAggregateReader({
      documents,
      tableName: env.ANALYTICS_TABLE_NAME,
      concurrency: POPULARITY_READ_CONCURRENCY,
    }),
    orders: new DynamoDbOrderStore({ documents, tableName: env.ORDERS_TABLE_NAME }),
  }),
  tokens: new IdTokenVerifier({ issuer: env.USER_POOL_ISSUER, clientId: env.USER_POOL_CLIENT_ID }),
  chain: { budgetMs: env.RECOMMENDATION_BUDGET_MS, perLinkTimeoutMs: env.RECOMMENDATION_LINK_TIMEOUT_MS },
});
