import type { GatewayRequest } from './http-request';
import { headerValue } from './parameter-mapping';
import type { MethodDefinition, RestApiDefinition } from './rest-api-definition';

/**
 * `$context` of a request, and `requestContext` of its proxy event: who calls, when, which resource
 * of which stage. `resourcePath` and `resourceId` are absent while no resource matches.
 */
export interface RequestContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly resourceId?: string;
  readonly resourcePath?: string;
  readonly httpMethod: string;
  /** With the stage: `/v1/products`. */
  readonly path: string;
  readonly stage: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  /** Such as `25/Nov/2025:20:34:56 +0000`. */
  readonly requestTime: string;
  readonly requestTimeEpoch: number;
  readonly protocol: string;
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly identity: RequestIdentity;
  /** The verified Cognito claims, as strings, when a Cognito authorizer let the request in. */
  readonly authorizer?: { readonly claims: Readonly<Record<string, string>> };
}

export interface RequestIdentity {
  readonly sourceIp: string;
  readonly userAgent: string | null;
  readonly accountId: null;
  readonly apiKey: null;
  readonly apiKeyId: null;
  readonly caller: null;
  readonly cognitoAuthenticationProvider: null;
  readonly cognitoAuthenticationType: null;
  readonly cognitoIdentityId: null;
  readonly cognitoIdentityPoolId: null;
  readonly principalOrgId: null;
  readonly user: null;
  readonly userArn: null;
  readonly accessKey: null;
  readonly clientCert: null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function requestContext(
  request: GatewayRequest,
  api: RestApiDefinition,
  accountId: string,
  ids: { requestId: string; requestTimeEpoch: number },
  method?: MethodDefinition,
): RequestContext {
  const domainName = request.host.replace(/:\d+$/, '');
  return {
    accountId,
    apiId: api.apiId,
    ...(method && { resourceId: method.resourceId, resourcePath: method.resourcePath }),
    httpMethod: request.httpMethod,
    path: `/${api.stageName}${request.path === '/' ? '/' : request.path}`,
    stage: api.stageName,
    requestId: ids.requestId,
    extendedRequestId: ids.requestId.replace(/-/g, '').slice(0, 16),
    requestTime: clfTime(new Date(ids.requestTimeEpoch)),
    requestTimeEpoch: ids.requestTimeEpoch,
    protocol: 'HTTP/1.1',
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    identity: {
      sourceIp: request.sourceIp,
      userAgent: headerValue(request.headers, 'user-agent') ?? null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      user: null,
      userArn: null,
      accessKey: null,
      clientCert: null,
    },
  };
}

/** Common log format time, as `$context.requestTime`: `25/Nov/2025:20:34:56 +0000`. */
function clfTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
