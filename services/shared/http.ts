import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ApiError, ValidationError } from './errors';
import type { Observability } from './powertools';

/** What an API handler returns: a status and a body that is sent as JSON. */
export interface ApiResponse {
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<ApiResponse>;

export interface HttpApiOptions extends Observability {
  /** The storefront's origin, allowed to read the responses (CORS). */
  readonly allowedOrigin: string;
}

/**
 * Wraps an API handler for API Gateway's proxy integration: Powertools logging (with the request
 * id as correlation id), metrics and tracing; JSON responses with the request id and CORS
 * headers; and the one mapping of errors to responses. An `ApiError` is answered with its status,
 * message and details; anything else is logged and answered with a 500 that reveals nothing.
 */
export function httpApi(handler: ApiHandler, options: HttpApiOptions) {
  const { logger, metrics, tracer, allowedOrigin } = options;

  const respond = (
    event: APIGatewayProxyEvent,
    context: Context,
    response: ApiResponse,
  ): APIGatewayProxyResult => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    return {
      statusCode: response.statusCode,
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        'access-control-allow-origin': allowedOrigin,
        vary: 'Origin',
        ...response.headers,
      },
      body: JSON.stringify(response.body),
    };
  };

  const errorResponse = (
    event: APIGatewayProxyEvent,
    context: Context,
    error: unknown,
  ): APIGatewayProxyResult => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    if (error instanceof ApiError) {
      if (error instanceof ValidationError)
        logger.info('Rejected request', { error: error.message, details: error.details });
      return respond(event, context, {
        statusCode: error.statusCode,
        body: { message: error.message, ...error.details, requestId },
      });
    }
    logger.error('Request failed', error as Error);
    return respond(event, context, {
      statusCode: 500,
      body: { message: 'Something went wrong on our side. Try again later.', requestId },
    });
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId' }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      try {
        return respond(event, context, await handler(event, context));
      } catch (error) {
        return errorResponse(event, context, error);
      }
    });
}
