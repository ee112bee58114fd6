import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { GatewayRequest } from './http-request';
import { mediaTypeOf } from './mapping-templates';
import { headerValue } from './parameter-mapping';
import type { RequestContext } from './request-context';
import type { MethodDefinition } from './rest-api-definition';

/**
 * The event of a Lambda proxy integration (REST API, payload format 1.0), as API Gateway builds
 * it: `path` as sent, below the stage; `pathParameters` and query string values decoded;
 * `null` for absent maps and bodies; the body base64-encoded when its content type is one of the
 * RestApi's binary media types.
 */
export function proxyEvent(
  request: GatewayRequest,
  method: MethodDefinition,
  pathParameters: Readonly<Record<string, string>>,
  context: RequestContext,
  options: { stageVariables: Readonly<Record<string, string>> | null; binaryMediaTypes: readonly string[] },
): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = forwardedHeaders(request);
  const binary = isBinary(headerValue(request.headers, 'content-type'), options.binaryMediaTypes);
  const hasQuery = Object.keys(request.query).length > 0;
  return {
    resource: method.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? { ...request.query } : null,
    multiValueQueryStringParameters: hasQuery
      ? Object.fromEntries(
          Object.entries(request.multiValueQuery).map(([name, values]) => [name, [...values]]),
        )
      : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? { ...pathParameters } : null,
    stageVariables: options.stageVariables ? { ...options.stageVariables } : null,
    requestContext: context as unknown as APIGatewayProxyEvent['requestContext'],
    body: request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary && request.body.length > 0,
  };
}

/** The client's headers, with the `X-Forwarded-*` headers API Gateway adds. */
function forwardedHeaders(request: GatewayRequest): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(
    Object.entries(request.multiValueHeaders).map(([name, values]) => [name, [...values]]),
  );
  const set = (name: string, value: string) => {
    const existing = Object.keys(multiValueHeaders).find((key) => key.toLowerCase() === name.toLowerCase());
    multiValueHeaders[existing ?? name] = [value];
  };
  const forwardedFor = headerValue(request.headers, 'x-forwarded-for');
  set('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp);
  set('X-Forwarded-Proto', headerValue(request.headers, 'x-forwarded-proto') ?? 'http');
  set('X-Forwarded-Port', /:(\d+)$/.exec(request.host)?.[1] ?? '80');
  const headers = Object.fromEntries(
    Object.entries(multiValueHeaders).map(([name, values]) => [name, values.at(-1) ?? '']),
  );
  return { headers, multiValueHeaders };
}

/** Whether a content type is one of the binary media types (`image/png`, `image/*`, `*\/*`). */
export function isBinary(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  const mediaType = mediaTypeOf(contentType);
  if (!mediaType) return false;
  const [type] = mediaType.split('/');
  return binaryMediaTypes.some(
    (binary) => binary === mediaType || binary === '*/*' || binary === `${type}/*`,
  );
}
