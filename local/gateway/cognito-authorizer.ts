import { GatewayError } from './gateway-responses';
import type { GatewayRequest } from './http-request';
import { headerValue } from './parameter-mapping';
import type { AuthorizationDefinition } from './rest-api-definition';

type CognitoAuthorization = Extract<AuthorizationDefinition, { type: 'COGNITO_USER_POOLS' }>;

export type VerifyCognitoToken = (
  userPoolArns: readonly string[],
  token: string,
) => Promise<Record<string, unknown> | undefined>;

/**
 * A Cognito user pool authorizer: the token is the value of the identity source header, with or
 * without a `Bearer ` prefix (API Gateway's Cognito authorizer takes both). Without one, or with one that
 * does not match the IdentityValidationExpression or does not verify: a 401 UNAUTHORIZED
 * ("Unauthorized", or "The incoming token has expired"). Gives the claims as API Gateway REST
 * passes them to the integration.
 */
export async function authorizeWithCognito(
  authorization: CognitoAuthorization,
  request: GatewayRequest,
  verify: VerifyCognitoToken,
): Promise<Record<string, string>> {
  const token = headerValue(request.headers, authorization.identityHeader)
    ?.trim()
    .replace(/^Bearer\s+/i, '');
  if (!token) throw new GatewayError('UNAUTHORIZED', 'Unauthorized');
  const expression = authorization.identityValidationExpression;
  if (expression !== undefined && !new RegExp(`^(?:${expression})$`).test(token)) {
    throw new GatewayError('UNAUTHORIZED', 'Unauthorized');
  }
  const claims = await verify(authorization.userPoolArns, token);
  if (!claims) {
    throw new GatewayError(
      'UNAUTHORIZED',
      hasExpired(token) ? 'The incoming token has expired' : 'Unauthorized',
    );
  }
  return claimsAsApiGatewayPassesThem(claims);
}

/**
 * API Gateway REST passes every claim as a string: numbers and booleans written out, `exp` and
 * `iat` as Java dates (`Tue Nov 25 20:34:56 UTC 2025`), lists such as `cognito:groups` joined with
 * commas (`admin,staff`), objects as JSON.
 */
export function claimsAsApiGatewayPassesThem(claims: Record<string, unknown>): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') passed[name] = javaDate(value);
    else if (Array.isArray(value)) passed[name] = value.map(String).join(',');
    else if (typeof value === 'object') passed[name] = JSON.stringify(value);
    else passed[name] = String(value);
  }
  return passed;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's `Date.toString()` in UTC, from epoch seconds. */
function javaDate(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** Whether an (unverified) JWT's `exp` is past: only to choose the message of a 401. */
function hasExpired(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' && payload.exp * 1000 < Date.now();
  } catch {
    return false;
  }
}
