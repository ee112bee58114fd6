import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export interface ApiRequest {
  /** Resource template, such as `/orders/{orderId}`. */
  readonly resource: string;
  readonly method: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless already a string. */
  readonly body?: unknown;
  /** Cognito claims, as API Gateway's authorizer passes them; none for an anonymous call. */
  readonly claims?: { readonly sub: string; readonly 'cognito:groups'?: string };
}

/** An API Gateway (REST, proxy integration) event, as Lambda receives it. */
export function apiGatewayEvent(request: ApiRequest): APIGatewayProxyEvent {
  const path = Object.entries(request.pathParameters ?? {}).reduce(
    (result, [name, value]) => result.replace(`{${name}}`, encodeURIComponent(value)),
    request.resource,
  );
  return {
    resource: request.resource,
    path,
    httpMethod: request.method,
    headers: request.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    body:
      request.body === undefined
        ? null
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      resourcePath: request.resource,
      httpMethod: request.method,
      path,
      stage: 'test',
      accountId: '123456789012',
      apiId: 'test',
      protocol: 'HTTP/1.1',
      requestTimeEpoch: Date.now(),
      resourceId: 'test',
      authorizer: request.claims ? { claims: request.claims } : null,
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
    },
  };
}

/** A Lambda context good enough for handlers run in-process. */
export function lambdaContext(functionName = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
