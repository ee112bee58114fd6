import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { productIdSchema } from '../../catalog/domain/product';
import { optionalCaller } from '../../shared/caller';
import {
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  type FieldError,
} from '../../shared/errors';
import { httpApi, type ApiResponse, type HttpApiOptions } from '../../shared/http';
import { fieldErrors } from '../../shared/validation';
import { IdTokenVerificationUnavailableError, InvalidIdTokenError } from '../adapters/id-token-verifier';
import type { PersonalizeCall } from '../adapters/personalize-recommender';
import type { CatalogSnapshot } from '../domain/catalog';
import type { ChainOptions } from '../domain/chain';
import { ProductRequiredError, UnknownProductError } from '../domain/errors';
import type { ModelRecommender, RealtimeSignals } from '../domain/ports';
import { recommend, type Recommendations } from '../domain/recommend';
import {
  ANCHORED_TYPES,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  RECOMMENDATION_TYPES,
  type RecommendationType,
} from '../domain/recommendation';

/**
 * The time budget of the fallback chain. Personalize answers in well under 100 ms when healthy;
 * 600 ms is its limit, and the chain's links together get 1,000 ms, so a slow Personalize leaves
 * the live data at least 400 ms (a few DynamoDB queries), and the static list, which answers from
 * memory, follows at once: about one second in the worst case, on top of the catalog (cached) and
 * the token check (keys cached).
 */
export const DEFAULT_BUDGET_MS = 1_000;
export const DEFAULT_LINK_TIMEOUT_MS = 600;

/** The response header that says which link of the chain answered. */
export const SOURCE_HEADER = 'x-recommendation-source';

export interface RecommendationsApiDependencies extends HttpApiOptions {
  readonly catalog: { current(): Promise<CatalogSnapshot> };
  readonly model: ModelRecommender;
  readonly signals: RealtimeSignals;
  /** Checks the ID token a caller sends on this public route (API Gateway checks none here). */
  readonly tokens: { verify(token: string): Promise<{ readonly userId: string }> };
  /** @default DEFAULT_BUDGET_MS, DEFAULT_LINK_TIMEOUT_MS */
  readonly chain?: ChainOptions;
}

const PARAMETERS = ['type', 'productId', 'limit'];
const LIMIT_RULE = `a whole number from 1 to ${MAX_LIMIT}`;

const querySchema = z
  .object({
    type: z.enum(RECOMMENDATION_TYPES, { error: `one of ${RECOMMENDATION_TYPES.join(', ')}` }),
    productId: productIdSchema.optional(),
    limit: z
      .string()
      .regex(/^\d{1,2}$/, LIMIT_RULE)
      .transform(Number)
      .refine((limit) => limit >= 1 && limit <= MAX_LIMIT, LIMIT_RULE)
      .optional(),
  })
  .superRefine((query, context) => {
    const anchored = ANCHORED_TYPES.has(query.type);
    if (anchored && query.productId === undefined) {
      context.addIssue({ code: 'custom', path: ['productId'], message: `required for type ${query.type}` });
    }
    if (!anchored && query.productId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['productId'],
        message: `only for type ${[...ANCHORED_TYPES].join(' or ')}`,
      });
    }
  });

/**
 * `GET /recommendations` (public). Anonymous callers get lists for everyone; a caller who sends a
 * valid Cognito ID token in `Authorization` gets lists for them. A token that is sent but not
 * valid (expired, tampered with, for another pool or client, an access token) is a 401, not an
 * anonymous answer: a client sending a bad token learns it at once instead of silently losing
 * personalisation. When the pool's keys cannot be read, the caller is served anonymously (logged):
 * our fault should not cost them an answer.
 */
export function createRecommendationsApi(dependencies: RecommendationsApiDependencies) {
  const { catalog, model, signals, tokens, logger, metrics } = dependencies;
  const chain = dependencies.chain ?? {
    budgetMs: DEFAULT_BUDGET_MS,
    perLinkTimeoutMs: DEFAULT_LINK_TIMEOUT_MS,
  };

  async function callerOf(event: APIGatewayProxyEvent): Promise<string | undefined> {
    // Should the route ever get API Gateway's authorizer, its verified claims come first.
    const verified = optionalCaller(event);
    if (verified) return verified.userId;
    const token = bearerToken(event);
    if (token === undefined) return undefined;
    try {
      return (await tokens.verify(token)).userId;
    } catch (error) {
      if (error instanceof IdTokenVerificationUnavailableError) {
        logger.error('Cannot verify ID tokens; serving the caller anonymously', error);
        return undefined;
      }
      if (error instanceof InvalidIdTokenError) {
        logger.info('Rejected an ID token', { reason: error.message });
        throw new UnauthorizedError(
          'The Authorization header holds no valid ID token: sign in again, or send no token for recommendations for everyone',
        );
      }
      throw error;
    }
  }

  const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<ApiResponse>> = {
    'GET /recommendations': async (event) => {
      const query = parseQuery(event);
      const userId = await callerOf(event);
      const snapshot = await catalog.current().catch((error: unknown) => {
        logger.error('Cannot read the catalog', error as Error);
        throw new ServiceUnavailableError('Recommendations are unavailable for a moment. Try again shortly.');
      });
      const answer = await recommend(
        {
          type: query.type,
          ...(query.productId !== undefined && { productId: query.productId }),
          ...(userId !== undefined && { userId }),
          limit: query.limit ?? DEFAULT_LIMIT,
        },
        { catalog: snapshot, model, signals },
        chain,
      ).catch((error: unknown) => {
        if (error instanceof UnknownProductError) throw new NotFoundError(`No product ${error.productId}`);
        if (error instanceof ProductRequiredError) {
          throw new ValidationError('Invalid query', [{ path: 'productId', message: error.message }]);
        }
        throw error;
      });
      report(query.type, answer);
      return {
        statusCode: 200,
        headers: {
          [SOURCE_HEADER]: answer.source,
          // Browsers let the storefront read only the headers named here.
          'access-control-expose-headers': SOURCE_HEADER,
          // A personal list is nobody else's; a list for everyone may be reused for a minute.
          'cache-control': userId === undefined ? 'public, max-age=60' : 'private, no-store',
          vary: 'Origin, Authorization',
        },
        body: { source: answer.source, items: answer.items },
      };
    },
  };

  /** Logs the links that failed, and records the metrics of the answer. */
  function report(type: RecommendationType, answer: Recommendations) {
    for (const attempt of answer.attempts) {
      if (attempt.outcome === 'failed') {
        logger.warn('A recommendation source failed', {
          type,
          source: attempt.source,
          error: attempt.error as Error,
        });
      } else if (
        attempt.outcome === 'timed-out' ||
        attempt.outcome === 'empty' ||
        attempt.outcome === 'skipped'
      ) {
        logger.warn('A recommendation source did not answer', { type, ...attempt });
      }
    }
    if (answer.purchaseHistoryError !== undefined) {
      logger.warn('Cannot read the shopper’s orders', { error: answer.purchaseHistoryError as Error });
    }
    if (answer.purchasesUnknown && answer.source !== 'personalize') {
      logger.warn('A for-you list was made without the shopper’s purchases', { source: answer.source });
    }
    logger.info('Recommendations served', {
      type,
      source: answer.source,
      fallback: answer.fallback,
      attempts: answer.attempts.map(({ source, outcome }) => `${source}:${outcome}`),
    });
    // On the function's own metrics (published when the invocation ends); the others on their own,
    // as their dimensions differ.
    metrics.addDimensions({ type, source: answer.source });
    metrics.addMetric('RecommendationsServed', MetricUnit.Count, 1);
    const fallback = metrics.singleMetric();
    fallback.addDimensions({ type });
    fallback.addMetric('RecommendationFallback', MetricUnit.Count, answer.fallback ? 1 : 0);
  }

  return httpApi(async (event) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`No route ${event.httpMethod} ${event.resource}`);
    return route(event);
  }, dependencies);
}

/**
 * Records `PersonalizeLatency` (milliseconds, by `type`) for every GetRecommendations call, the
 * ones that failed or were cut short included: a slow Personalize shows as latency at the timeout.
 */
export function personalizeLatencyRecorder(metrics: HttpApiOptions['metrics']) {
  return (call: PersonalizeCall) => {
    const metric = metrics.singleMetric();
    metric.addDimensions({ type: call.type });
    metric.addMetric('PersonalizeLatency', MetricUnit.Milliseconds, call.latencyMs);
  };
}

/** The token of `Authorization` (as API Gateway's Cognito authorizer takes it, with or without `Bearer`). */
function bearerToken(event: APIGatewayProxyEvent): string | undefined {
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  const value = header?.[1]?.trim();
  if (!value) return undefined;
  return value.replace(/^Bearer\s+/i, '');
}

/** The query, or a 400 naming every unknown, repeated or invalid parameter. */
function parseQuery(event: APIGatewayProxyEvent): z.infer<typeof querySchema> {
  const parameters = event.queryStringParameters ?? {};
  const problems: FieldError[] = [
    ...Object.keys(parameters)
      .filter((name) => !PARAMETERS.includes(name))
      .map((name) => ({ path: name, message: `unknown parameter; use ${PARAMETERS.join(', ')}` })),
    ...Object.entries(event.multiValueQueryStringParameters ?? {})
      .filter(([name, values]) => PARAMETERS.includes(name) && (values?.length ?? 0) > 1)
      .map(([name]) => ({ path: name, message: 'given more than once' })),
  ];
  const parsed = querySchema.safeParse(parameters);
  if (!parsed.success) problems.push(...fieldErrors(parsed.error));
  if (!parsed.success || problems.length > 0) throw new ValidationError('Invalid query', problems);
  return parsed.data;
}
