import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { requireCaller } from '../../shared/caller';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import { httpApi, type ApiResponse, type HttpApiOptions } from '../../shared/http';
import { parseWith } from '../../shared/validation';
import type { MinuteAggregateReader } from '../domain/minute-aggregate-reader';
import { minutesEndingAt } from '../domain/minute-window';
import { buildRealtimeDashboard } from '../domain/realtime-dashboard';

export const DEFAULT_WINDOW_MINUTES = 60;
export const MAX_WINDOW_MINUTES = 180;

export interface RealtimeAnalyticsApiDependencies extends HttpApiOptions {
  readonly reader: MinuteAggregateReader;
  /** @default the system clock */
  readonly clock?: () => Date;
}

const WINDOW_RULE = `a whole number from 1 to ${MAX_WINDOW_MINUTES}`;
const querySchema = z.strictObject({
  minutes: z
    .string()
    .regex(/^\d{1,3}$/, WINDOW_RULE)
    .transform(Number)
    .refine((minutes) => minutes >= 1 && minutes <= MAX_WINDOW_MINUTES, WINDOW_RULE)
    .optional(),
});

/** Live figures are out of date a second later: no browser, proxy or CDN keeps any answer. */
const NEVER_STORED = { 'cache-control': 'no-store' };

/**
 * The real-time analytics API, for shop staff only (the `admin` Cognito group): the clickstream of
 * the last minutes, as a per-minute series, the top products and the conversion funnel.
 */
export function createRealtimeAnalyticsApi(dependencies: RealtimeAnalyticsApiDependencies) {
  const { reader } = dependencies;
  const clock = dependencies.clock ?? (() => new Date());

  const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<ApiResponse>> = {
    'GET /analytics/realtime': async (event) => {
      const caller = requireCaller(event);
      if (!caller.isAdmin) throw new ForbiddenError('Live analytics are for shop staff (the admin group)');
      const query = parseWith(querySchema, event.queryStringParameters ?? {}, 'query');
      const window = minutesEndingAt(clock(), query.minutes ?? DEFAULT_WINDOW_MINUTES);
      const dashboard = buildRealtimeDashboard(window, await reader.readMinutes(window));
      return { statusCode: 200, body: dashboard };
    },
  };

  return httpApi(async (event) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`No route ${event.httpMethod} ${event.resource}`);
    return route(event);
  }, dependencies).use({
    // After httpApi has answered, errors included, so that no answer is ever stored.
    after: async (request) => {
      if (request.response) {
        request.response.headers = { ...request.response.headers, ...NEVER_STORED };
      }
    },
  });
}
