import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from './errors';

/** Name of the Cognito group of shop staff. */
export const ADMIN_GROUP = 'admin';

/** Who is calling, from the Cognito claims API Gateway's authorizer verified and passed on. */
export interface Caller {
  /** The Cognito `sub`: the stable id of the user. */
  readonly userId: string;
  readonly isAdmin: boolean;
}

/** The signed-in caller, or `undefined` for an anonymous request. */
export function optionalCaller(event: APIGatewayProxyEvent): Caller | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return { userId: sub, isAdmin: groupsOf(claims?.['cognito:groups']).includes(ADMIN_GROUP) };
}

/** The signed-in caller; a 401 when there is none. */
export function requireCaller(event: APIGatewayProxyEvent): Caller {
  const caller = optionalCaller(event);
  if (!caller) throw new UnauthorizedError();
  return caller;
}

/** API Gateway passes `cognito:groups` as an array, or as a string such as "[admin other]" or "admin,other". */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
